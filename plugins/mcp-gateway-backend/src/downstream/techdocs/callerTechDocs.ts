import { Entity, parseEntityRef } from '@backstage/catalog-model';
import { NotFoundError, ResponseError } from '@backstage/errors';
import { Caller } from '../../core/caller';
import { CallerCatalog } from '../callerCatalog';
import { PluginRequests } from '../pluginRequests';
import { parseDocsPath } from './docsPath';
import { anchorOffset } from './anchorOffset';
import { MarkdownPages } from './markdownPages';
import { NavEntry, siteNavigation } from './siteNavigation';

export type { NavEntry } from './siteNavigation';

const TECHDOCS_REF = 'backstage.io/techdocs-ref';
const NOT_FOUND = 404;

/** A documentation site: what get_techdocs shows without a path. */
export interface DocsSite {
  ref: string;
  title: string;
  description?: string;
  /** The site's navigation; every `path` can be passed back as is. */
  pages: NavEntry[];
}

/** One page of a site, as clean Markdown. */
export interface DocsPage {
  ref: string;
  /** The page's canonical path in the site (`''` for the home page). */
  path: string;
  title: string;
  markdown: string;
  /** With an anchor in the path: where its heading starts in `markdown`. */
  anchorOffset?: number;
}

interface TechDocsMetadata {
  site_name?: string;
  site_description?: string;
  files?: string[];
}

/**
 * TechDocs bound to one call. Every read first asks the catalog, as the
 * caller and within the agent's visibility, whether the entity may be seen
 * at all; then the techdocs backend is asked on the caller's behalf, so
 * its own permission checks apply too. Paths are sanitised here, so no
 * operation can hand the backend a path of its own making.
 */
export class CallerTechDocs {
  constructor(
    private readonly requests: PluginRequests,
    private readonly markdown: MarkdownPages,
    private readonly catalog: CallerCatalog,
    private readonly caller: Caller,
    private readonly signal: AbortSignal,
  ) {}

  /** The site's title, description and page list. */
  async site(ref: string): Promise<DocsSite> {
    const base = await this.siteBase(ref);
    const [metadata, home] = await Promise.all([
      this.read<TechDocsMetadata>(`/metadata/techdocs/${base}`, ref, ''),
      this.readPage(base, ref, 'index.html', ''),
    ]);
    const nav = siteNavigation(home, '');
    return {
      ref,
      title: metadata.site_name ?? ref,
      ...(metadata.site_description && {
        description: metadata.site_description,
      }),
      pages: nav.length ? nav : pagesOf(metadata.files ?? []),
    };
  }

  /** One page, by a path from the site's navigation or a link on a page. */
  async page(ref: string, path: string): Promise<DocsPage> {
    const { page, file, anchor } = parseDocsPath(path);
    const base = await this.siteBase(ref);
    const html = await this.readPage(base, ref, file, path);
    const { title, markdown } = this.markdown.convert(html, page);
    const offset =
      anchor === undefined ? undefined : anchorOffset(html, markdown, anchor);
    return {
      ref,
      path: page,
      title,
      markdown,
      ...(offset !== undefined && { anchorOffset: offset }),
    };
  }

  /** `<namespace>/<kind>/<name>` of a visible entity that has docs. */
  private async siteBase(ref: string): Promise<string> {
    const entity = await this.catalog.getForService(ref);
    if (!entity) {
      throw new NotFoundError(`No entity ${ref} is visible to this agent.`);
    }
    if (!hasDocs(entity)) {
      throw new NotFoundError(
        `${ref} has no TechDocs (it has no ${TECHDOCS_REF} annotation).`,
      );
    }
    const { kind, namespace, name } = parseEntityRef(ref);
    // The local publisher keeps sites under lower-case triplets.
    return [namespace, kind, name]
      .map(part => encodeURIComponent(part.toLowerCase()))
      .join('/');
  }

  private readPage(base: string, ref: string, file: string, path: string) {
    const encoded = file.split('/').map(encodeURIComponent).join('/');
    return this.read<string>(`/static/docs/${base}/${encoded}`, ref, path, {
      text: true,
    });
  }

  private async read<T>(
    path: string,
    ref: string,
    docsPath: string,
    { text = false } = {},
  ): Promise<T> {
    const options = {
      credentials: this.caller.credentials,
      signal: this.signal,
    };
    try {
      return text
        ? ((await this.requests.getText('techdocs', path, options)) as T)
        : await this.requests.getJson<T>('techdocs', path, options);
    } catch (error) {
      if (error instanceof ResponseError && error.statusCode === NOT_FOUND) {
        throw new NotFoundError(
          docsPath
            ? `The docs of ${ref} have no page '${docsPath}'. Call get_techdocs without a path for the list of pages.`
            : `The docs of ${ref} have not been published.`,
        );
      }
      throw error;
    }
  }
}

function hasDocs(entity: Entity): boolean {
  return Boolean(entity.metadata.annotations?.[TECHDOCS_REF]);
}

/** Without a navigation, every HTML page the site holds, by its path. */
function pagesOf(files: string[]): NavEntry[] {
  return files
    .filter(file => file.endsWith('.html'))
    .map(file => file.replace(/(^|\/)index\.html$/, '$1'))
    .sort()
    .map(path => ({ title: path || 'Home', path }));
}
