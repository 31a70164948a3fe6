import { Entity } from '@backstage/catalog-model';
import {
  boundServices,
  pluginAnswers,
} from '../../__testUtils__/boundServices';
import { inMemoryCatalog } from '../../__testUtils__/unitDoubles';

const component = (name: string, extra: Partial<Entity['metadata']> = {}) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', ...extra },
    spec: { owner: 'group:default/sre' },
  }) as Entity;

const user = (name: string, email: string) =>
  ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { profile: { displayName: name.toUpperCase(), email } },
  }) as Entity;

const doc = (name: string, title = `${name} page`) => ({
  type: 'techdocs',
  document: {
    title,
    text: `About ${name}`,
    location: `/docs/default/component/${name}/`,
    kind: 'Component',
    namespace: 'default',
    name,
    path: '',
  },
});

const CATALOG = [
  component('a'),
  component('b'),
  component('c'),
  user('alice', 'alice@acme.example'),
];

/** The search backend: `pages` in order, each with a cursor to the next. */
function searchBackend(pages: unknown[][]) {
  return pluginAnswers((_pluginId, path) => {
    const cursor = new URLSearchParams(path.split('?')[1]).get('pageCursor');
    const index = cursor ? Number(cursor) : 0;
    return {
      results: pages[index],
      ...(index + 1 < pages.length && { nextPageCursor: String(index + 1) }),
    };
  });
}

const services = (agent: object, plugins: ReturnType<typeof pluginAnswers>) =>
  boundServices(
    inMemoryCatalog(CATALOG),
    { id: 'agent', ...agent },
    { plugins },
  );

describe('CallerSearch', () => {
  it('drops documents of entities the catalog does not release to the caller, and fills the page from the next backend page', async () => {
    const backend = searchBackend([
      [doc('a'), doc('hidden'), doc('b')],
      [doc('c')],
    ]);
    const { search } = services({}, backend);
    const page = await search.query({ term: 'about', limit: 3 });
    expect(page.hits.map(hit => hit.title)).toEqual([
      'a page',
      'b page',
      'c page',
    ]);
    expect(page.next).toBeUndefined();
    expect(backend.asked).toHaveLength(2);
  });

  it('stops mid-page and resumes exactly there', async () => {
    const backend = searchBackend([[doc('a'), doc('b'), doc('c')]]);
    const { search } = services({}, backend);
    const first = await search.query({ term: 'about', limit: 2 });
    expect(first.hits.map(hit => hit.title)).toEqual(['a page', 'b page']);
    expect(first.next).toEqual({ pageCursor: undefined, index: 2 });
    const second = await search.query({
      term: 'about',
      limit: 2,
      after: first.next,
    });
    expect(second.hits.map(hit => hit.title)).toEqual(['c page']);
    expect(second.next).toBeUndefined();
  });

  it('drops a document of a known type whose entity cannot be told, and of an entity that does not exist', async () => {
    const backend = searchBackend([
      [
        {
          type: 'techdocs',
          document: { title: 'orphan', text: '', location: '/x' },
        },
        doc('ghost'),
        {
          type: 'tools',
          document: { title: 'A tool', text: '', location: '/tools/x' },
        },
      ],
    ]);
    const { search } = services({}, backend);
    const page = await search.query({ term: 'x', limit: 10 });
    expect(page.hits.map(hit => hit.title)).toEqual(['A tool']);
  });

  it('shows catalog documents as the catalog released them, and drops a hit only a redacted value explains', async () => {
    const hit = {
      type: 'software-catalog',
      document: {
        title: 'alice',
        text: 'ALICE : alice@acme.example',
        location: '/catalog/default/user/alice',
      },
    };
    const redacting = { redact: ['spec.profile.email'] };
    const byName = await services(
      redacting,
      searchBackend([[hit]]),
    ).search.query({
      term: 'alice',
      limit: 5,
    });
    expect(byName.hits[0].text).toBe('ALICE : [redacted]');
    const byEmail = await services(
      redacting,
      searchBackend([[hit]]),
    ).search.query({
      term: 'alice@acme.example',
      limit: 5,
    });
    expect(byEmail.hits).toEqual([]);
    // Without the rule, the same search finds her.
    const open = await services({}, searchBackend([[hit]])).search.query({
      term: 'alice@acme.example',
      limit: 5,
    });
    expect(open.hits[0].text).toBe('ALICE : alice@acme.example');
  });

  it('asks the backend as the caller, with the types and filters given', async () => {
    const backend = searchBackend([[]]);
    const { search } = services({}, backend);
    await search.query({
      term: 'run book',
      types: ['techdocs'],
      filters: { name: 'payments-api' },
      limit: 5,
    });
    expect(backend.asked).toEqual([
      'search/query?term=run+book&types%5B0%5D=techdocs&filters%5Bname%5D=payments-api&pageLimit=25',
    ]);
  });
});
