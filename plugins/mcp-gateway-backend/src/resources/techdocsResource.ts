import { stringifyEntityRef } from '@backstage/catalog-model';
import { GatewayResource } from './types';
import { SCHEME, uriParts } from './resourceUris';

/**
 * TechDocs pages as MCP resources: read as the whole page in Markdown,
 * with the same checks as get_techdocs (the entity's visibility, the
 * techdocs backend's permission check, a sanitised path). Not listed:
 * get_techdocs lists a site's pages.
 */
export const techdocsResource: GatewayResource = {
  name: 'techdocs',
  template: {
    uriTemplate: `${SCHEME}techdocs/{namespace}/{kind}/{name}/{path}`,
    name: 'techdocs',
    title: 'TechDocs page',
    description:
      "A page of an entity's TechDocs as Markdown; an empty path is the site's home page, e.g. backstage://techdocs/default/component/payments-api/runbook/",
    mimeType: 'text/markdown',
  },
  parse(uri) {
    const parsed = uriParts(uri, 'techdocs', 3);
    if (!parsed) return undefined;
    const [namespace, kind, name] = parsed.parts;
    return { namespace, kind, name, path: parsed.rest };
  },
  async read({ techdocs }, uri, { namespace, kind, name, path }) {
    const page = await techdocs.page(
      stringifyEntityRef({ kind, namespace, name }),
      path,
    );
    return [{ uri, mimeType: 'text/markdown', text: page.markdown }];
  },
};
