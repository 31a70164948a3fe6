import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { boundServices } from '../../__testUtils__/boundServices';
import { REDACTED } from '../../policy/redaction';
import { ToolContext } from '../types';
import { getEntityRelationsTool } from './getEntityRelations';
import { Edge, FORWARD_TYPES, Traversal } from './relationGraph';

const ELIDED = 'elided:0123456789ab';

const entity = (
  ref: string,
  relations: Array<[type: string, targetRef: string]> = [],
): Entity => {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name, namespace },
    relations: relations.map(([type, targetRef]) => ({ type, targetRef })),
  };
};

const targets = (found: ReturnType<Traversal['follow']>) =>
  found.map(({ next }) => next);

describe('Traversal', () => {
  // payments-api as the catalog stores it: each relation from both ends.
  const api = entity('component:default/payments-api', [
    ['dependsOn', 'resource:default/payments-db'],
    ['ownedBy', 'group:default/payments-team'],
    ['partOf', 'system:default/payments'],
    ['dependencyOf', 'component:default/checkout'], // checkout dependsOn api
    ['apiProvidedBy', 'component:default/legacy'], // legacy providesApi api
  ]);

  describe('direction', () => {
    it('outgoing follows the relations this entity has, as forward edges', () => {
      expect(new Traversal('outgoing').follow(api)).toEqual([
        {
          edge: {
            source: 'component:default/payments-api',
            type: 'dependsOn',
            target: 'resource:default/payments-db',
          },
          next: 'resource:default/payments-db',
        },
        {
          edge: {
            source: 'component:default/payments-api',
            type: 'ownedBy',
            target: 'group:default/payments-team',
          },
          next: 'group:default/payments-team',
        },
        {
          edge: {
            source: 'component:default/payments-api',
            type: 'partOf',
            target: 'system:default/payments',
          },
          next: 'system:default/payments',
        },
      ]);
    });

    it('incoming follows the relations others have to it, turned to their forward type', () => {
      expect(new Traversal('incoming').follow(api)).toEqual([
        {
          edge: {
            source: 'component:default/checkout',
            type: 'dependsOn',
            target: 'component:default/payments-api',
          },
          next: 'component:default/checkout',
        },
        {
          edge: {
            source: 'component:default/legacy',
            type: 'providesApi',
            target: 'component:default/payments-api',
          },
          next: 'component:default/legacy',
        },
      ]);
    });

    it('both follows every relation', () => {
      expect(targets(new Traversal('both').follow(api))).toEqual([
        'resource:default/payments-db',
        'group:default/payments-team',
        'system:default/payments',
        'component:default/checkout',
        'component:default/legacy',
      ]);
    });

    it('speaks of every inverse relation by its forward type', () => {
      const group = entity('group:default/sre', [
        ['ownerOf', 'component:default/a'],
        ['hasPart', 'component:default/b'],
        ['parentOf', 'group:default/c'],
        ['hasMember', 'user:default/d'],
        ['apiConsumedBy', 'component:default/e'],
      ]);
      expect(
        new Traversal('incoming').follow(group).map(({ edge }) => edge),
      ).toEqual([
        {
          source: 'component:default/a',
          type: 'ownedBy',
          target: 'group:default/sre',
        },
        {
          source: 'component:default/b',
          type: 'partOf',
          target: 'group:default/sre',
        },
        {
          source: 'group:default/c',
          type: 'childOf',
          target: 'group:default/sre',
        },
        {
          source: 'user:default/d',
          type: 'memberOf',
          target: 'group:default/sre',
        },
        {
          source: 'component:default/e',
          type: 'consumesApi',
          target: 'group:default/sre',
        },
      ]);
      expect(new Traversal('outgoing').follow(group)).toEqual([]);
    });

    it('treats a relation type it does not know as a forward one', () => {
      const custom = entity('component:default/a', [
        ['relatesTo', 'component:default/b'],
      ]);
      expect(targets(new Traversal('outgoing').follow(custom))).toEqual([
        'component:default/b',
      ]);
      expect(new Traversal('incoming').follow(custom)).toEqual([]);
    });
  });

  describe('relation types', () => {
    it('follows only the types asked for', () => {
      expect(targets(new Traversal('both', ['dependsOn']).follow(api))).toEqual(
        ['resource:default/payments-db', 'component:default/checkout'],
      );
      expect(
        targets(new Traversal('outgoing', ['dependsOn', 'partOf']).follow(api)),
      ).toEqual(['resource:default/payments-db', 'system:default/payments']);
      expect(
        targets(new Traversal('incoming', ['dependsOn']).follow(api)),
      ).toEqual(['component:default/checkout']);
    });

    it('reads an inverse name as its forward type, the other way round', () => {
      // Outgoing dependencyOf: what this is a dependency of, i.e. what depends on it.
      expect(new Traversal('outgoing', ['dependencyOf']).follow(api)).toEqual(
        new Traversal('incoming', ['dependsOn']).follow(api),
      );
      expect(
        targets(new Traversal('incoming', ['dependencyOf']).follow(api)),
      ).toEqual(['resource:default/payments-db']);
    });

    it('follows every type when the list is empty', () => {
      expect(new Traversal('both', []).follow(api)).toEqual(
        new Traversal('both').follow(api),
      );
    });

    it('names each relation pair once, by its forward type', () => {
      expect([...FORWARD_TYPES].sort()).toEqual(
        [
          'childOf',
          'consumesApi',
          'dependsOn',
          'memberOf',
          'ownedBy',
          'partOf',
          'providesApi',
        ].sort(),
      );
    });
  });

  it('compares refs case-insensitively, giving them in lower case', () => {
    const mixed = entity('Component:Default/Payments-API', [
      ['dependsOn', 'Resource:Default/Payments-DB'],
      ['dependencyOf', 'Component:Default/Checkout'],
    ]);
    expect(new Traversal('both').follow(mixed)).toEqual([
      {
        edge: {
          source: 'component:default/payments-api',
          type: 'dependsOn',
          target: 'resource:default/payments-db',
        },
        next: 'resource:default/payments-db',
      },
      {
        edge: {
          source: 'component:default/checkout',
          type: 'dependsOn',
          target: 'component:default/payments-api',
        },
        next: 'component:default/checkout',
      },
    ]);
  });

  it('leads nowhere through a redacted link, in any direction', () => {
    const redacted = entity('component:default/a', [
      ['ownedBy', REDACTED],
      ['dependencyOf', REDACTED],
      ['dependsOn', 'component:default/b'],
    ]);
    const all = new Traversal('both').follow(redacted);
    expect(targets(all)).toEqual(['component:default/b']);
    expect(JSON.stringify(all)).not.toContain(REDACTED);
  });

  it('follows an elided target under its elided id, in both directions', () => {
    const elided = entity('component:default/a', [
      ['ownedBy', ELIDED],
      ['dependencyOf', ELIDED],
    ]);
    expect(new Traversal('both').follow(elided)).toEqual([
      {
        edge: {
          source: 'component:default/a',
          type: 'ownedBy',
          target: ELIDED,
        },
        next: ELIDED,
      },
      {
        edge: {
          source: ELIDED,
          type: 'dependsOn',
          target: 'component:default/a',
        },
        next: ELIDED,
      },
    ]);
  });

  it('finds nothing on an entity without relations', () => {
    const bare = entity('component:default/a');
    delete bare.relations;
    expect(new Traversal('both').follow(bare)).toEqual([]);
  });
});

describe('walking the graph', () => {
  /** Entities from forward edges, each relation stored from both ends. */
  function graph(refs: string[], edges: Array<[string, string, string]>) {
    const inverse: Record<string, string> = {
      dependsOn: 'dependencyOf',
      ownedBy: 'ownerOf',
    };
    return refs.map(ref =>
      entity(ref, [
        ...edges
          .filter(([source]) => source === ref)
          .map(([, type, target]): [string, string] => [type, target]),
        ...edges
          .filter(([, , target]) => target === ref)
          .map(([source, type]): [string, string] => [inverse[type], source]),
      ]),
    );
  }

  const c = (name: string) => `component:default/${name}`;

  // a -> b -> c -> a (a cycle), c -> d -> e; a is owned by a hidden group;
  // b depends on something the catalog does not have.
  const entities = [
    ...graph(
      [c('a'), c('b'), c('c'), c('d'), c('e'), 'group:default/secret-team'],
      [
        [c('a'), 'dependsOn', c('b')],
        [c('b'), 'dependsOn', c('c')],
        [c('c'), 'dependsOn', c('a')],
        [c('c'), 'dependsOn', c('d')],
        [c('d'), 'dependsOn', c('e')],
        [c('a'), 'ownedBy', 'group:default/secret-team'],
      ],
    ),
  ];
  entities[1].relations!.push({ type: 'dependsOn', targetRef: c('gone') });

  /** What get_entity_relations answers. */
  interface Walk {
    root: string;
    nodes: Array<{ ref: string; depth: number; missing?: boolean }>;
    edges: Edge[];
    truncated: boolean;
    unexplored?: string[];
  }

  function walker(policy: Record<string, unknown> = {}) {
    // What catalogServiceMock({ entities }) returns, without loading
    // @backstage/backend-test-utils (seconds per file).
    const catalog = new InMemoryCatalogClient({
      entities,
    }) as CatalogService;
    const ctx = {
      catalog: boundServices(catalog, { id: 'bot', ...policy }).catalog,
    } as unknown as ToolContext;
    return (args: Record<string, unknown>) =>
      getEntityRelationsTool.run(
        ctx,
        getEntityRelationsTool.input.parse({ ref: c('a'), ...args }),
      ) as unknown as Promise<Walk>;
  }

  const depths = (result: Walk) =>
    Object.fromEntries(result.nodes.map(n => [n.ref, n.depth]));

  it('walks nothing, and does not fail, for an agent that redacts relations', async () => {
    const result = await walker({ redact: ['relations'] })({ depth: 2 });
    expect(result.nodes.map(n => n.ref)).toEqual([c('a')]);
    expect(result.edges).toEqual([]);
  });

  describe('depth', () => {
    it('goes one hop by default', async () => {
      const result = await walker()({ relationTypes: ['dependsOn'] });
      expect(depths(result)).toEqual({ [c('a')]: 0, [c('b')]: 1 });
      expect(result.edges).toEqual([
        { source: c('a'), type: 'dependsOn', target: c('b') },
      ]);
    });

    it('gives each node the hops it took to reach it first', async () => {
      const result = await walker()({ relationTypes: ['dependsOn'], depth: 5 });
      expect(depths(result)).toEqual({
        [c('a')]: 0,
        [c('b')]: 1,
        [c('c')]: 2,
        [c('gone')]: 2,
        [c('d')]: 3,
        [c('e')]: 4,
      });
    });

    it('stops at the depth asked for', async () => {
      const result = await walker()({ relationTypes: ['dependsOn'], depth: 2 });
      expect(Object.keys(depths(result)).sort()).toEqual(
        [c('a'), c('b'), c('c'), c('gone')].sort(),
      );
    });

    it('refuses depths outside 1 to 5', () => {
      for (const depth of [0, 6, 1.5]) {
        expect(
          getEntityRelationsTool.input.safeParse({ ref: 'a', depth }).success,
        ).toBe(false);
      }
    });
  });

  describe('cycles', () => {
    it('visits every node once and keeps the edge that closes the cycle', async () => {
      const result = await walker()({ relationTypes: ['dependsOn'], depth: 5 });
      const refs = result.nodes.map(n => n.ref);
      expect(new Set(refs).size).toBe(refs.length);
      expect(result.edges).toContainEqual({
        source: c('c'),
        type: 'dependsOn',
        target: c('a'),
      });
      expect(result.edges).toHaveLength(6);
      expect(result.truncated).toBe(false);
    });

    it('gives a relation seen from both ends one edge', async () => {
      const result = await walker()({
        relationTypes: ['dependsOn'],
        direction: 'both',
        depth: 5,
      });
      const keys = result.edges.map(e => `${e.source} ${e.type} ${e.target}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect(result.edges).toHaveLength(6);
    });
  });

  describe('direction', () => {
    it('walks against the relations with incoming', async () => {
      const result = await walker()({
        ref: c('e'),
        direction: 'incoming',
        depth: 2,
      });
      expect(depths(result)).toEqual({ [c('e')]: 0, [c('d')]: 1, [c('c')]: 2 });
      expect(result.edges).toEqual([
        { source: c('d'), type: 'dependsOn', target: c('e') },
        { source: c('c'), type: 'dependsOn', target: c('d') },
      ]);
    });
  });

  describe('limits', () => {
    it('stops at maxNodes, says so, and names where to go on', async () => {
      const result = await walker()({
        relationTypes: ['dependsOn'],
        depth: 5,
        maxNodes: 3,
      });
      expect(result.nodes).toHaveLength(3);
      expect(result.truncated).toBe(true);
      expect(result.unexplored).toEqual([c('b'), c('c')]);
      // No edge leads to a node that is not in the answer.
      const refs = new Set(result.nodes.map(n => n.ref));
      for (const edge of result.edges) {
        expect(refs.has(edge.source) && refs.has(edge.target)).toBe(true);
      }
    });

    it('says nothing of unexplored refs when the walk was complete', async () => {
      const result = await walker()({ relationTypes: ['dependsOn'], depth: 5 });
      expect(result.truncated).toBe(false);
      expect(result.unexplored).toBeUndefined();
    });

    it('refuses maxNodes outside 2 to 500', () => {
      for (const maxNodes of [1, 501]) {
        expect(
          getEntityRelationsTool.input.safeParse({ ref: 'a', maxNodes })
            .success,
        ).toBe(false);
      }
    });
  });

  describe('targets the caller may not read', () => {
    it('marks a relation to an entity the catalog lacks as missing', async () => {
      const result = await walker()({
        ref: c('b'),
        relationTypes: ['dependsOn'],
      });
      expect(result.nodes).toContainEqual({
        ref: c('gone'),
        depth: 1,
        missing: true,
      });
    });

    it('walks to a hidden entity only under its elided id, and no further', async () => {
      const result = await walker({ entities: { kinds: ['Component'] } })({
        relationTypes: ['ownedBy'],
        depth: 3,
      });
      const [owner] = result.edges;
      expect(owner).toEqual({
        source: c('a'),
        type: 'ownedBy',
        target: expect.stringMatching(/^elided:[0-9a-f]{12}$/),
      });
      expect(result.nodes).toEqual([
        expect.objectContaining({ ref: c('a'), depth: 0 }),
        { ref: owner.target, depth: 1, missing: true },
      ]);
      expect(JSON.stringify(result)).not.toContain('secret-team');
    });

    it('leaves out a redacted link altogether', async () => {
      const result = await walker({ redact: ['spec.owner'] })({
        direction: 'both',
      });
      expect(result.edges.map(e => e.type)).toEqual(['dependsOn', 'dependsOn']);
      expect(JSON.stringify(result)).not.toContain('secret-team');
      expect(JSON.stringify(result)).not.toContain(REDACTED);
    });
  });
});
