import { Entity } from '@backstage/catalog-model';
import {
  boundServices,
  pluginAnswers,
} from '../../__testUtils__/boundServices';
import { inMemoryCatalog } from '../../__testUtils__/unitDoubles';

const entity = (name: string, annotations: Record<string, string> = {}) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: {},
  }) as Entity;

const DOCS = { 'backstage.io/techdocs-ref': 'dir:.' };

const PAGE = `<html><body><div class="md-content"><article class="md-content__inner">
<h1 id="runbook">Runbook<a class="headerlink" href="#runbook">¶</a></h1><p>Steps.</p>
</article></div></body></html>`;

function techdocsFor(answer: (path: string) => unknown = () => PAGE) {
  const plugins = pluginAnswers((pluginId, path) =>
    pluginId === 'techdocs' ? answer(path) : undefined,
  );
  const { techdocs } = boundServices(
    inMemoryCatalog([entity('payments-api', DOCS), entity('no-docs')]),
    { id: 'reader' },
    { plugins },
  );
  return { techdocs, asked: plugins.asked };
}

describe('CallerTechDocs', () => {
  it('reads a page of a visible entity from its site, as Markdown', async () => {
    const { techdocs, asked } = techdocsFor();
    const page = await techdocs.page(
      'component:default/payments-api',
      'runbook',
    );
    expect(page).toEqual({
      ref: 'component:default/payments-api',
      path: 'runbook/',
      title: 'Runbook',
      markdown: '# Runbook\n\nSteps.',
    });
    expect(asked).toEqual([
      'techdocs/static/docs/default/component/payments-api/runbook/index.html',
    ]);
  });

  it('asks nothing of the techdocs backend for an entity the catalog does not release', async () => {
    const { techdocs, asked } = techdocsFor();
    await expect(
      techdocs.page('component:default/hidden', 'runbook/'),
    ).rejects.toThrow(
      'No entity component:default/hidden is visible to this agent.',
    );
    expect(asked).toEqual([]);
  });

  it('asks nothing for a path that fails the sanitiser', async () => {
    const { techdocs, asked } = techdocsFor();
    await expect(
      techdocs.page('component:default/payments-api', '%2e%2e/%2e%2e/secrets'),
    ).rejects.toMatchObject({ name: 'InvalidArguments' });
    expect(asked).toEqual([]);
  });

  it('says so when an entity has no docs, or a page does not exist', async () => {
    const { techdocs } = techdocsFor(() => undefined);
    await expect(techdocs.site('component:default/no-docs')).rejects.toThrow(
      'component:default/no-docs has no TechDocs (it has no backstage.io/techdocs-ref annotation).',
    );
    await expect(
      techdocs.page('component:default/payments-api', 'gone/'),
    ).rejects.toThrow(
      "The docs of component:default/payments-api have no page 'gone/'.",
    );
    await expect(
      techdocs.site('component:default/payments-api'),
    ).rejects.toThrow(
      'The docs of component:default/payments-api have not been published.',
    );
  });

  it('lists the pages from the file list when the site has no navigation', async () => {
    const { techdocs } = techdocsFor(path =>
      path.startsWith('/metadata/')
        ? {
            site_name: 'Payments',
            files: [
              'index.html',
              'runbook/index.html',
              'search/search_index.json',
            ],
          }
        : PAGE,
    );
    expect(await techdocs.site('component:default/payments-api')).toEqual({
      ref: 'component:default/payments-api',
      title: 'Payments',
      pages: [
        { title: 'Home', path: '' },
        { title: 'runbook/', path: 'runbook/' },
      ],
    });
  });
});
