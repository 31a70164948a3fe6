import { inMemoryCatalog } from '../__testUtils__/unitDoubles';
import { NotFoundError } from '@backstage/errors';
import { FilterPredicate } from '@backstage/filter-predicates';
import { boundServices } from '../__testUtils__/boundServices';

describe('CallerCatalog guard', () => {
  const catalog = inMemoryCatalog();
  const bound = () =>
    boundServices(catalog, {
      id: 'bot',
      redact: ['spec.profile.email', 'spec.owner', 'metadata.title'],
    }).catalog;

  beforeEach(() => {
    jest.spyOn(catalog, 'queryEntities');
    jest.spyOn(catalog, 'getEntityFacets');
  });
  afterEach(() => jest.restoreAllMocks());

  it.each<[string, FilterPredicate]>([
    [
      'inside $any',
      { $any: [{ kind: 'User' }, { 'spec.profile.email': 'x' }] },
    ],
    ['inside $not, in capitals', { $not: { 'SPEC.PROFILE.EMAIL': 'x' } }],
    [
      'deep inside $all, $not and $any',
      {
        $all: [
          { kind: 'User' },
          { $not: { $any: [{ 'spec.profile.email': { $exists: true } }] } },
        ],
      },
    ],
    ['through relations.<type>', { 'relations.ownedBy': 'group:default/a' }],
    [
      'through relations $contains',
      {
        relations: {
          $contains: { type: 'ownedBy', targetRef: 'group:default/a' },
        },
      },
    ],
  ])(
    'refuses a redacted key %s, before asking the catalog',
    async (_where, query) => {
      await expect(bound().query({ query })).rejects.toThrow(
        /^This agent may not filter on '.+': the field is redacted/,
      );
      expect(catalog.queryEntities).not.toHaveBeenCalled();
    },
  );

  it('refuses operators it cannot check', async () => {
    await expect(
      bound().query({
        query: { $where: 'true' } as unknown as FilterPredicate,
      }),
    ).rejects.toThrow("The gateway does not send filter operator '$where'.");
    expect(catalog.queryEntities).not.toHaveBeenCalled();
  });

  it('refuses sorting and counting by a redacted field', async () => {
    await expect(
      bound().query({ orderFields: { field: 'metadata.title', order: 'asc' } }),
    ).rejects.toThrow("This agent may not sort by 'metadata.title'");
    await expect(bound().facets({ facets: ['spec.owner'] })).rejects.toThrow(
      "This agent may not count by 'spec.owner'",
    );
    expect(catalog.getEntityFacets).not.toHaveBeenCalled();
  });

  it('always sends a structured predicate, never a filter', async () => {
    await bound().query({ query: { kind: 'User,spec.profile.email=x' } });
    await bound().query({});
    const sent = jest
      .mocked(catalog.queryEntities)
      .mock.calls.map(([request]) => request as Record<string, unknown>);
    expect(sent.map(r => r.query)).toEqual([
      { kind: 'User,spec.profile.email=x' },
      { $all: [] },
    ]);
    expect(sent.every(r => r.filter === undefined)).toBe(true);
  });
});

describe('CallerCatalog refresh', () => {
  const entity = (kind: string, name: string) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace: 'default' },
  });
  const catalog = inMemoryCatalog([
    entity('Component', 'payments-api'),
    entity('Group', 'finance'),
  ]);
  const components = () =>
    boundServices(catalog, {
      id: 'component-bot',
      entities: { kinds: ['Component'] },
    }).catalog;

  beforeEach(() => jest.spyOn(catalog, 'refreshEntity'));
  afterEach(() => jest.restoreAllMocks());

  it('refreshes an entity the agent can see, as the caller', async () => {
    await components().refresh('component:default/payments-api');
    expect(catalog.refreshEntity).toHaveBeenCalledWith(
      'component:default/payments-api',
      {
        credentials: expect.objectContaining({ principal: expect.anything() }),
      },
    );
  });

  it('resolves visibility itself: a hidden entity is not found and not refreshed', async () => {
    await expect(components().refresh('group:default/finance')).rejects.toThrow(
      'No entity group:default/finance is visible to this agent.',
    );
    await expect(
      components().refresh('component:default/nope'),
    ).rejects.toThrow(NotFoundError);
    expect(catalog.refreshEntity).not.toHaveBeenCalled();
  });
});
