import {
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../../__testUtils__/testGateway';

// 67 sample entities + 3 cycle fixtures + location entities.
const MIN_ENTITIES = 70;

describe('the catalog tools', () => {
  let gateway: TestGateway;

  const call = (tool: string, args: Record<string, unknown>) =>
    gateway.call('incident-copilot', tool, args);

  /** Follows nextCursor to the end, checking every page against the first. */
  const allPages = async (name: string, args: Record<string, unknown>) => {
    const first = await call(name, args);
    expect(first.isError).toBe(false);
    const refs: string[] = first.data.items.map((i: any) => i.ref);
    let cursor = first.data.nextCursor;
    let pages = 1;
    while (cursor) {
      const page = await call(name, { cursor, limit: args.limit });
      expect(page.data.totalItems).toBe(first.data.totalItems);
      expect(page.data.offset).toBe(refs.length);
      refs.push(...page.data.items.map((i: any) => i.ref));
      cursor = page.data.nextCursor;
      pages++;
    }
    return { total: first.data.totalItems as number, refs, pages };
  };

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: ['incident-copilot'],
      agents: [
        {
          id: 'incident-copilot',
          principals: [{ service: 'incident-copilot' }],
          tools: { allow: ['*'] },
        },
      ],
    });
    await waitForCatalog(gateway, tokenFor('incident-copilot'), MIN_ENTITIES);
  }, 90_000);

  afterAll(() => gateway.stop());

  describe('search_catalog', () => {
    it('finds entities by a word in their name, title, description or tags', async () => {
      const { data, text, isError } = await call('search_catalog', {
        term: 'ledger',
      });
      expect(isError).toBe(false);
      const refs = data.items.map((i: any) => i.ref);
      expect(refs).toEqual(
        expect.arrayContaining([
          'component:finance/ledger-service',
          'resource:finance/ledger-db',
          'api:finance/ledger-api',
        ]),
      );
      expect(data.totalItems).toBe(refs.length);
      expect(text).toContain(
        'component:finance/ledger-service "General Ledger Service" (service, production) owner group:default/payments-team',
      );
      expect(text).toMatch(/Showing 1-\d+ of \d+\.$/);
    });

    it('matches display names of people, case-insensitively', async () => {
      const { data } = await call('search_catalog', { term: 'OKAFOR' });
      expect(data.items.map((i: any) => i.ref)).toEqual(['user:default/bob']);
      expect(data.items[0].title).toBe('Bob Okafor');
    });

    it('combines the term with filters', async () => {
      const { data } = await call('search_catalog', {
        term: 'pay',
        kind: 'Component',
        owner: 'payments-team',
        lifecycle: 'production',
      });
      expect(data.items.map((i: any) => i.ref).sort()).toEqual([
        'component:default/fraud-detector',
        'component:default/payments-api',
        'component:default/payments-sdk-java',
        // "Receives settled payments" in its description.
        'component:finance/ledger-service',
      ]);
      expect(data.totalItems).toBe(4);
    });

    it('pages through every match, adding up to the reported total', async () => {
      const { total, refs, pages } = await allPages('search_catalog', {
        term: 'e',
        limit: 7,
      });
      expect(total).toBeGreaterThan(30);
      expect(pages).toBe(Math.ceil(total / 7));
      expect(refs).toHaveLength(total);
      expect(new Set(refs).size).toBe(total);
    });

    it('refuses a cursor that was tampered with', async () => {
      const result = await call('search_catalog', {
        term: 'x',
        cursor: 'bm90LWEtY3Vyc29y',
      });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/cursor is not valid for search_catalog/);
    });

    const handMade = (envelope: object) =>
      Buffer.from(JSON.stringify(envelope)).toString('base64url');
    const listQuery = { orderBy: 'name', order: 'asc' };

    it.each([
      ['a huge offset', { t: 'list_entities', q: listQuery, o: 1e20 }],
      ['an offset past 2^53', { t: 'list_entities', q: listQuery, o: 2 ** 53 }],
      ['a negative offset', { t: 'list_entities', q: listQuery, o: -1 }],
      ['a fractional offset', { t: 'list_entities', q: listQuery, o: 1.5 }],
      ['another tool', { t: 'search_catalog', q: listQuery, o: 0 }],
      ['an unknown key', { t: 'list_entities', q: listQuery, o: 0, x: 1 }],
      [
        'an invalid query',
        { t: 'list_entities', q: { limit: 'x', orderBy: 7 }, o: 0 },
      ],
    ])(
      'refuses a hand-made cursor with %s, naming the argument',
      async (_what, envelope) => {
        const result = await call('list_entities', {
          cursor: handMade(envelope),
        });
        expect(result.isError).toBe(true);
        expect(result.text).toBe(
          'Invalid arguments for list_entities: cursor: The cursor is not valid for list_entities. Call again without a cursor to start from the first page.',
        );
      },
    );

    it('refuses a cursor longer than any the gateway makes', async () => {
      const result = await call('list_entities', { cursor: 'a'.repeat(5000) });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(
        /^Invalid arguments for list_entities: cursor: /,
      );
    });

    it('says clearly when a cursor points past the last result', async () => {
      const result = await call('list_entities', {
        cursor: handMade({ t: 'list_entities', q: listQuery, o: 5000 }),
      });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(
        /^The cursor points past the last result \(offset 5000, \d+ matches now\): the results changed since it was made\. Call again without a cursor/,
      );
    });
  });

  it('search_catalog needs a term unless it follows a cursor', async () => {
    const result = await call('search_catalog', {});
    expect(result.isError).toBe(true);
    expect(result.text).toBe(
      'Invalid arguments for search_catalog: term: required (unless cursor is given)',
    );
  });

  describe('list_entities', () => {
    it('filters by kind and pages through all of them with a true total', async () => {
      const { total, refs } = await allPages('list_entities', {
        kind: 'User',
        limit: 4,
      });
      expect(total).toBe(15);
      expect(new Set(refs).size).toBe(15);
      expect(refs.every(r => r.startsWith('user:default/'))).toBe(true);
      expect(refs).toEqual([...refs].sort());
    });

    it('filters by owner through relations, and by system, domain, tag and annotation', async () => {
      const byOwner = await call('list_entities', {
        owner: 'group:default/payments-team',
        kind: 'Component',
      });
      expect(byOwner.data.items.map((i: any) => i.name).sort()).toEqual([
        'fraud-detector',
        'ledger-service',
        'payments-api',
        'payments-sdk-java',
        'risk-scoring',
      ]);
      const bySystem = await call('list_entities', {
        system: 'payments',
        kind: 'API',
      });
      expect(bySystem.data.items.map((i: any) => i.ref)).toContain(
        'api:default/payments-rest',
      );
      const byDomain = await call('list_entities', {
        domain: 'commerce',
        kind: 'System',
      });
      expect(byDomain.data.items.map((i: any) => i.ref)).toEqual([
        'system:default/payments',
        'system:default/storefront',
      ]);
      const inDomain = await call('list_entities', {
        domain: 'commerce',
        kind: 'Component',
        limit: 100,
      });
      expect(inDomain.data.items.map((i: any) => i.name)).toEqual(
        expect.arrayContaining(['payments-api', 'web-storefront']),
      );
      expect(inDomain.data.items.map((i: any) => i.name)).not.toContain(
        'auth-service',
      );
      const byTag = await call('list_entities', { tag: 'restricted' });
      expect(byTag.data.items.map((i: any) => i.ref)).toEqual([
        'component:default/admin-console',
      ]);
      const byAnnotation = await call('list_entities', {
        annotation: 'vault.example.com/token-path',
      });
      expect(byAnnotation.data.items.map((i: any) => i.ref)).toEqual([
        'component:default/payments-api',
      ]);
      const byValue = await call('list_entities', {
        annotation: 'github.com/project-slug=acme/payments-api',
      });
      expect(byValue.data.totalItems).toBe(1);
    });

    it('orders descending and includes requested fields', async () => {
      const { data, text } = await call('list_entities', {
        kind: 'User',
        orderBy: 'name',
        order: 'desc',
        fields: ['spec.profile.email'],
        limit: 3,
      });
      const names = data.items.map((i: any) => i.name);
      expect(names).toEqual([...names].sort().reverse());
      for (const item of data.items) {
        expect(item.fields['spec.profile.email']).toBe(
          `${item.name}@acme.example`,
        );
      }
      expect(text).toContain(
        `spec.profile.email: "${data.items[0].name}@acme.example"`,
      );
    });

    it('names the field when a filter argument is invalid', async () => {
      const result = await call('list_entities', { orderBy: 'popularity' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(
        /^Invalid arguments for list_entities: orderBy: /,
      );
    });
  });

  describe('get_entity', () => {
    it('returns a compact summary for a bare name', async () => {
      const { data, text, isError } = await call('get_entity', {
        ref: 'payments-api',
      });
      expect(isError).toBe(false);
      expect(data.entity).toMatchObject({
        ref: 'component:default/payments-api',
        kind: 'Component',
        title: 'Payments API',
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/payments-team',
        system: 'system:default/payments',
        tags: ['java', 'payments', 'pci'],
      });
      expect(data.entity.links).toHaveLength(2);
      expect(data.entity.relations).toContainEqual({
        type: 'dependsOn',
        target: 'component:default/fraud-detector',
      });
      expect(data.full).toBeUndefined();
      expect(text.split('\n')[0]).toBe(
        'component:default/payments-api "Payments API"',
      );
      expect(text).toContain('dependsOn: component:default/fraud-detector');
      // Compact: no raw annotations unless asked for.
      expect(text).not.toContain('vault.example.com');
    });

    it('accepts kind:name and full refs, and finds entities outside the default namespace', async () => {
      for (const ref of [
        'component:payments-api',
        'Component:default/payments-api',
      ]) {
        expect((await call('get_entity', { ref })).data.entity.ref).toBe(
          'component:default/payments-api',
        );
      }
      expect(
        (await call('get_entity', { ref: 'ledger-service' })).data.entity.ref,
      ).toBe('component:finance/ledger-service');
    });

    it('returns the full entity or just the requested fields on request', async () => {
      const full = await call('get_entity', {
        ref: 'payments-api',
        detail: 'full',
      });
      expect(
        full.data.full.metadata.annotations['pagerduty.com/service-id'],
      ).toBeDefined();
      const fields = await call('get_entity', {
        ref: 'payments-api',
        fields: [
          'metadata.annotations.github.com/project-slug',
          'spec.providesApis',
        ],
      });
      expect(fields.data.fields).toEqual({
        'metadata.annotations.github.com/project-slug': 'acme/payments-api',
        'spec.providesApis': ['api:default/payments-rest'],
      });
      expect(fields.text).toContain(
        'metadata.annotations.github.com/project-slug: "acme/payments-api"',
      );
    });

    it('says which entities an ambiguous name matches', async () => {
      const result = await call('get_entity', { ref: 'search' });
      expect(result.isError).toBe(true);
      expect(result.text).toBe(
        "'search' is ambiguous: it matches component:default/search, group:default/search. Call again with one of these full refs.",
      );
    });

    it('suggests the closest matches for an unknown name', async () => {
      const result = await call('get_entity', { ref: 'payment-api' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(
        /^No entity matches 'payment-api'\. Closest matches: component:default\/payments-api/,
      );
      const withKind = await call('get_entity', {
        ref: 'component:default/fraud-detektor',
      });
      expect(withKind.text).toContain(
        'Closest matches: component:default/fraud-detector',
      );
    });

    it('explains a malformed ref', async () => {
      const result = await call('get_entity', { ref: 'not a ref' });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(/^'not a ref' is not an entity reference/);
    });
  });

  describe('get_entity_relations', () => {
    it('walks a dependency chain to the requested depth', async () => {
      const deep = await call('get_entity_relations', {
        ref: 'web-storefront',
        relationTypes: ['dependsOn'],
        depth: 4,
      });
      const depthOf = Object.fromEntries(
        deep.data.nodes.map((n: any) => [n.ref, n.depth]),
      );
      expect(depthOf['component:default/checkout-service']).toBe(1);
      expect(depthOf['component:default/payments-api']).toBe(2);
      expect(depthOf['component:default/fraud-detector']).toBe(3);
      expect(depthOf['component:default/risk-scoring']).toBe(4);
      expect(deep.data.truncated).toBe(false);
      expect(deep.text).toContain(
        'component:default/fraud-detector "Fraud Detector" --dependsOn--> component:default/risk-scoring "Risk Scoring Model Server"',
      );

      const shallow = await call('get_entity_relations', {
        ref: 'web-storefront',
        relationTypes: ['dependsOn'],
        depth: 1,
      });
      expect(shallow.data.nodes.map((n: any) => n.ref)).not.toContain(
        'component:default/payments-api',
      );
    });

    it('keeps one node for a diamond, reached by both paths', async () => {
      const { data } = await call('get_entity_relations', {
        ref: 'checkout-service',
        relationTypes: ['dependsOn'],
        depth: 2,
      });
      const shared = 'component:default/product-catalog-service';
      expect(data.nodes.filter((n: any) => n.ref === shared)).toHaveLength(1);
      expect(
        data.edges
          .filter((e: any) => e.target === shared)
          .map((e: any) => e.source)
          .sort(),
      ).toEqual([
        'component:default/inventory-service',
        'component:default/pricing-service',
      ]);
    });

    it('is safe on a cycle', async () => {
      const { data, isError } = await call('get_entity_relations', {
        ref: 'loop-a',
        direction: 'both',
        relationTypes: ['dependsOn'],
        depth: 5,
      });
      expect(isError).toBe(false);
      expect(data.nodes.map((n: any) => n.ref).sort()).toEqual([
        'component:default/loop-a',
        'component:default/loop-b',
        'component:default/loop-c',
      ]);
      expect(data.edges).toHaveLength(3);
      expect(data.truncated).toBe(false);
    });

    it('answers "what depends on this" with incoming edges', async () => {
      const { data } = await call('get_entity_relations', {
        ref: 'payments-api',
        direction: 'incoming',
        relationTypes: ['dependsOn'],
      });
      expect(data.edges.map((e: any) => e.source).sort()).toEqual([
        'component:default/admin-console',
        'component:default/checkout-service',
      ]);
      // Asking for the inverse name means the same thing.
      const inverse = await call('get_entity_relations', {
        ref: 'payments-api',
        relationTypes: ['dependencyOf'],
      });
      expect(inverse.data.edges).toEqual(data.edges);
    });

    it('says when it stops at the node limit and where to go on', async () => {
      const { data, text } = await call('get_entity_relations', {
        ref: 'web-storefront',
        direction: 'both',
        depth: 5,
        maxNodes: 6,
      });
      expect(data.truncated).toBe(true);
      expect(data.nodes).toHaveLength(6);
      expect(data.unexplored.length).toBeGreaterThan(0);
      const known = new Set(data.nodes.map((n: any) => n.ref));
      for (const edge of data.edges) {
        expect(known.has(edge.source) && known.has(edge.target)).toBe(true);
      }
      expect(text).toMatch(/Truncated at 6 nodes\. Raise maxNodes/);
    });
  });

  describe('list_owners', () => {
    it('gives the owning group with members, contacts and parent chain', async () => {
      const { data, text } = await call('list_owners', { ref: 'payments-api' });
      expect(data.owners).toHaveLength(1);
      const [owner] = data.owners;
      expect(owner).toMatchObject({
        ref: 'group:default/payments-team',
        kind: 'Group',
        email: 'payments@acme.example',
      });
      expect(owner.members).toContainEqual({
        ref: 'user:default/bob',
        displayName: 'Bob Okafor',
        email: 'bob@acme.example',
      });
      expect(owner.parents.map((p: any) => p.ref)).toEqual([
        'group:default/commerce',
        'group:default/engineering',
      ]);
      expect(text).toContain(
        'parents: group:default/commerce -> group:default/engineering',
      );
      expect(text).toContain(
        'user:default/bob "Bob Okafor" <bob@acme.example>',
      );
    });

    it('gives what a group owns, by kind, with counts that match list_entities', async () => {
      const { data } = await call('list_owners', {
        ref: 'group:payments-team',
        itemsPerKind: 2,
      });
      expect(data.party.ref).toBe('group:default/payments-team');
      const components = data.owns.kinds.find(
        (k: any) => k.kind === 'Component',
      );
      expect(components.count).toBe(5);
      expect(components.items).toHaveLength(2);
      const listed = await call('list_entities', {
        owner: 'payments-team',
        limit: 1,
      });
      expect(data.owns.total).toBe(listed.data.totalItems);
    });

    it("gives a user's groups and what the user owns", async () => {
      const { data } = await call('list_owners', { ref: 'user:default/alice' });
      expect(data.memberOf).toEqual(['group:default/sre']);
      expect(data.owns.total).toBe(0);
    });
  });
});
