import { inMemoryCatalog } from '../../__testUtils__/unitDoubles';
import { Entity } from '@backstage/catalog-model';
import { boundServices } from '../../__testUtils__/boundServices';
import { resolveEntity } from './entityRefs';

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

describe('resolveEntity on a large catalog', () => {
  const entities = [
    ...Array.from({ length: 5000 }, (_, i) => component(`service-${i}`)),
    component('ledger-service'),
  ];
  const catalog = inMemoryCatalog(entities);
  const callerCatalog = () => boundServices(catalog, { id: 'bot' }).catalog;

  beforeEach(() => {
    jest.spyOn(catalog, 'queryEntities');
    jest.spyOn(catalog, 'streamEntities');
  });
  afterEach(() => jest.restoreAllMocks());

  it('suggests near names without scanning the catalog', async () => {
    await expect(
      resolveEntity(callerCatalog(), 'ledger-servce'),
    ).rejects.toThrow(
      /^No entity matches 'ledger-servce'\. Closest matches: component:default\/ledger-service/,
    );
    expect(catalog.streamEntities).not.toHaveBeenCalled();
    const queries = jest.mocked(catalog.queryEntities).mock.calls;
    // The lookup itself, then at most three bounded name searches.
    expect(queries.length).toBeLessThanOrEqual(4);
    for (const [request] of queries) {
      expect((request as { limit?: number }).limit).toBeLessThanOrEqual(50);
    }
  });

  it('finds a typo in the first part of a name through its start', async () => {
    await expect(
      resolveEntity(callerCatalog(), 'ledgr-service'),
    ).rejects.toThrow(/Closest matches: component:default\/ledger-service/);
  });
});
