import {
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../__testUtils__/testGateway';

/**
 * Attempts to walk around entity visibility and redaction, as a hostile
 * agent would: filter values that carry filters, case tricks on field paths,
 * hidden entities named in `spec`, equivalents of redacted fields, and
 * scrubbing used as an oracle.
 */
const SUBJECTS = [
  'everything-bot',
  'probe-bot',
  'owner-blind-bot',
  'title-blind-bot',
  'type-blind-bot',
  'scoped-a-bot',
  'scoped-b-bot',
  'domain-blind-bot',
];
const all = { allow: ['*'] };
const defaultNamespaceOnly = { namespaces: ['default'] };

describe('walking around visibility and redaction', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: SUBJECTS,
      fixtures: ['probes.yaml'],
      agents: [
        {
          id: 'everything',
          principals: [{ service: 'everything-bot' }],
          tools: all,
        },
        {
          id: 'probe',
          principals: [{ service: 'probe-bot' }],
          tools: all,
          redact: [
            'spec.profile.email',
            'metadata.annotations.vault.example.com/*',
            'metadata.annotations.backstage.io/kubernetes-id',
          ],
        },
        {
          id: 'owner-blind',
          principals: [{ service: 'owner-blind-bot' }],
          tools: all,
          redact: ['spec.owner'],
        },
        {
          id: 'title-blind',
          principals: [{ service: 'title-blind-bot' }],
          tools: all,
          redact: ['metadata.title'],
        },
        {
          id: 'type-blind',
          principals: [{ service: 'type-blind-bot' }],
          tools: all,
          redact: ['spec.type'],
        },
        {
          id: 'scoped-a',
          principals: [{ service: 'scoped-a-bot' }],
          tools: all,
          entities: defaultNamespaceOnly,
        },
        {
          id: 'scoped-b',
          principals: [{ service: 'scoped-b-bot' }],
          tools: all,
          entities: defaultNamespaceOnly,
        },
        {
          id: 'domain-blind',
          principals: [{ service: 'domain-blind-bot' }],
          tools: all,
          entities: { exclude: { kinds: ['Domain'] } },
        },
      ],
    });
    await waitForCatalog(gateway, tokenFor('everything-bot'), 72);
  }, 90_000);

  afterAll(() => gateway.stop());

  describe('filter values cannot carry a second filter', () => {
    const cursorFor = (tool: string, query: object) =>
      Buffer.from(JSON.stringify({ t: tool, q: query, o: 0 })).toString(
        'base64url',
      );
    // Two redacted values to guess: a person's email, a service's vault path.
    const email = (g: string) => `spec.profile.email=${g}`;
    const vault = (g: string) =>
      `metadata.annotations.vault.example.com/token-path=${g}`;
    const guesses = {
      email: ['bob@acme.example', 'nobody@acme.example'],
      vault: ['secret/data/payments/api-token', 'secret/data/nothing'],
    };
    /** Each way a free-text value reaches the catalog, with a guess inside. */
    const carriers: Array<
      [string, string, keyof typeof guesses, (g: string) => object]
    > = [
      ['list_entities', 'kind', 'email', g => ({ kind: `User,${email(g)}` })],
      [
        'list_entities',
        'namespace',
        'email',
        g => ({ namespace: `default,${email(g)}` }),
      ],
      [
        'list_entities',
        'type',
        'vault',
        g => ({ type: `service,${vault(g)}` }),
      ],
      [
        'list_entities',
        'lifecycle',
        'vault',
        g => ({ lifecycle: `production,${vault(g)}` }),
      ],
      ['list_entities', 'tag', 'vault', g => ({ tag: `java,${vault(g)}` })],
      [
        'list_entities',
        'annotation key',
        'email',
        g => ({ annotation: `backstage.io/managed-by-location,${email(g)}` }),
      ],
      [
        'list_entities',
        'annotation value',
        'vault',
        g => ({
          annotation: `github.com/project-slug=acme/payments-api,${vault(g)}`,
        }),
      ],
      [
        'search_catalog',
        'kind',
        'email',
        g => ({ term: 'o', kind: `User,${email(g)}` }),
      ],
      [
        'list_entities',
        'cursor',
        'email',
        g => ({
          cursor: cursorFor('list_entities', {
            kind: `User,${email(g)}`,
            orderBy: 'name',
            order: 'asc',
          }),
        }),
      ],
      [
        'search_catalog',
        'cursor',
        'vault',
        g => ({
          cursor: cursorFor('search_catalog', {
            term: 'pay',
            lifecycle: `production,${vault(g)}`,
          }),
        }),
      ],
    ];

    it.each(carriers)(
      '%s %s: a right guess of a redacted value answers exactly as a wrong one',
      async (tool, _via, target, args) => {
        const answer = async (guess: string) => {
          const result = await gateway.call(
            'probe-bot',
            tool,
            args(guess) as any,
          );
          // The caller's own guess may echo back; everything else must match.
          return JSON.stringify({
            isError: result.isError,
            text: result.text.split(guess).join('<guess>'),
            total: result.data?.totalItems,
          });
        };
        const [rightGuess, wrongGuess] = guesses[target];
        const right = await answer(rightGuess);
        expect(right).toBe(await answer(wrongGuess));
        expect(right).not.toMatch(/user:default\/bob|payments-api"/);
      },
    );

    it('reaches the catalog as a whole value: a comma is just a character', async () => {
      const result = await gateway.call('probe-bot', 'list_entities', {
        kind: 'User,metadata.namespace=default',
      });
      expect(result.data.totalItems).toBe(0);
      expect(
        (await gateway.call('probe-bot', 'list_entities', { kind: 'User' }))
          .data.totalItems,
      ).toBe(15);
    });
  });

  describe('field paths are compared as the catalog compares them', () => {
    it.each([
      ['the Kelvin sign for k', 'bac\u212Astage.io/kubernetes-id'],
      ['upper case', 'BACKSTAGE.IO/KUBERNETES-ID'],
      ['mixed case', 'Vault.Example.Com/token-path'],
    ])('refuses a redacted annotation spelled with %s', async (_how, key) => {
      const result = await gateway.call('probe-bot', 'list_entities', {
        annotation: `${key}=zephyr-prod`,
      });
      expect(result.isError).toBe(true);
      expect(result.text).toMatch(
        /^This agent may not filter on '.+': the field is redacted \(mcpGateway\.agents\[probe\]\.redact pattern '/,
      );
    });
  });

  describe('hidden entities do not surface through spec references', () => {
    it('elides them in spec exactly as in relations, with ids that differ per agent', async () => {
      const read = (subject: string) =>
        gateway.call(subject, 'get_entity', {
          ref: 'payments-api',
          detail: 'full',
        });
      const a = await read('scoped-a-bot');
      const b = await read('scoped-b-bot');
      for (const answer of [a, b]) {
        expect(answer.text).not.toMatch(/finance\//);
        expect(JSON.stringify(answer.data)).not.toMatch(/finance\//);
      }
      const idsIn = (answer: typeof a, field: 'dependsOn' | 'consumesApis') =>
        (answer.data.full.spec[field] as string[]).filter(r =>
          r.startsWith('elided:'),
        );
      const [ledger] = idsIn(a, 'dependsOn');
      const [ledgerApi] = idsIn(a, 'consumesApis');
      expect(ledger).toMatch(/^elided:[0-9a-f]{12}$/);
      expect(ledgerApi).toMatch(/^elided:[0-9a-f]{12}$/);
      // The same id in spec and relations, so lining them up decodes nothing.
      expect(a.data.full.relations).toContainEqual({
        type: 'dependsOn',
        targetRef: ledger,
      });
      // Another agent with the same rules gets other ids.
      expect(idsIn(b, 'dependsOn')[0]).toMatch(/^elided:/);
      expect(idsIn(b, 'dependsOn')[0]).not.toBe(ledger);

      const fields = await gateway.call('scoped-a-bot', 'get_entity', {
        ref: 'payments-api',
        fields: ['spec.dependsOn', 'spec.consumesApis'],
      });
      expect(fields.data.fields['spec.dependsOn']).toContain(ledger);
      expect(JSON.stringify(fields)).not.toMatch(/finance\//);
    });

    it('never passes a hidden domain off as a system', async () => {
      const system = await gateway.call('domain-blind-bot', 'get_entity', {
        ref: 'system:default/payments',
        detail: 'full',
      });
      expect(system.data.entity.system).toBeUndefined();
      const domain = system.data.full.spec.domain;
      expect(domain).toMatch(/^elided:[0-9a-f]{12}$/);
      expect(system.data.full.relations).toContainEqual({
        type: 'partOf',
        targetRef: domain,
      });
      expect(system.text).not.toMatch(/commerce/);
    });

    it('leaves references to visible entities as they are', async () => {
      const answer = await gateway.call('scoped-a-bot', 'get_entity', {
        ref: 'payments-api',
        detail: 'full',
      });
      expect(answer.data.full.spec.owner).toBe('payments-team');
      expect(answer.data.full.spec.dependsOn).toContain(
        'resource:default/payments-db',
      );
    });
  });

  describe('a redacted reference field hides its equivalents', () => {
    const rule =
      "mcpGateway.agents[owner-blind].redact pattern 'spec.owner', which also hides relations.ownedBy";

    it('refuses an owner filter, in every tool that has one', async () => {
      for (const [tool, args] of [
        ['list_entities', { owner: 'payments-team' }],
        ['search_catalog', { term: 'pay', owner: 'payments-team' }],
      ] as const) {
        const result = await gateway.call('owner-blind-bot', tool, args);
        expect(result.isError).toBe(true);
        expect(result.text).toBe(
          `This agent may not filter on 'relations.ownedBy': the field is redacted (${rule}).`,
        );
      }
    });

    it('hides the owner in summaries, relations and list_owners', async () => {
      const entity = await gateway.call('owner-blind-bot', 'get_entity', {
        ref: 'payments-api',
        detail: 'full',
      });
      expect(entity.data.entity.owner).toBe('[redacted]');
      expect(entity.data.full.spec.owner).toBe('[redacted]');
      expect(
        entity.data.full.relations.filter((r: any) => r.type === 'ownedBy'),
      ).toEqual([{ type: 'ownedBy', targetRef: '[redacted]' }]);
      expect(entity.text).not.toMatch(/payments-team/);

      const owners = await gateway.call('owner-blind-bot', 'list_owners', {
        ref: 'payments-api',
      });
      expect(owners.data.owners).toEqual([
        { ref: '[redacted]', kind: 'unknown', members: [], parents: [] },
      ]);
      expect(owners.text).not.toMatch(/payments-team|Okafor/);

      const graph = await gateway.call(
        'owner-blind-bot',
        'get_entity_relations',
        {
          ref: 'payments-api',
          direction: 'both',
        },
      );
      expect(graph.data.edges.map((e: any) => e.type)).not.toContain('ownedBy');
      expect(graph.text).not.toMatch(/payments-team/);
    });

    it('hides what a group owns, from the group side too', async () => {
      const group = await gateway.call('owner-blind-bot', 'get_entity', {
        ref: 'group:default/payments-team',
        detail: 'full',
      });
      const ownerOf = group.data.full.relations.filter(
        (r: any) => r.type === 'ownerOf',
      );
      expect(ownerOf.length).toBeGreaterThan(3);
      expect(ownerOf.every((r: any) => r.targetRef === '[redacted]')).toBe(
        true,
      );
      const owns = await gateway.call('owner-blind-bot', 'list_owners', {
        ref: 'group:default/payments-team',
      });
      expect(owns.isError).toBe(true);
      expect(owns.text).toBe(
        `This agent may not filter on 'relations.ownedBy': the field is redacted (${rule}).`,
      );
    });

    it('does not corrupt the refs of the entities it hides the link to', async () => {
      const found = await gateway.call('owner-blind-bot', 'search_catalog', {
        term: 'payments',
        limit: 100,
      });
      const team = found.data.items.find(
        (i: any) => i.ref === 'group:default/payments-team',
      );
      expect(team).toMatchObject({ name: 'payments-team', kind: 'Group' });
      expect(found.text).toContain('group:default/payments-team');
    });
  });

  describe('scrubbing', () => {
    it('hides a redacted value copied into a visible field', async () => {
      const secret = 'secret/data/zephyr/db-password';
      const plain = await gateway.call('everything-bot', 'get_entity', {
        ref: 'zephyr-gateway',
      });
      expect(plain.data.entity.description).toContain(secret);
      const scrubbed = await gateway.call('probe-bot', 'get_entity', {
        ref: 'zephyr-gateway',
        fields: ['metadata.annotations'],
      });
      expect(scrubbed.data.entity.description).toContain(
        'password from [redacted] at start-up',
      );
      expect(JSON.stringify(scrubbed)).not.toContain(secret);
    });

    it('never turns the caller’s own search term into "[redacted]"', async () => {
      const found = await gateway.call('title-blind-bot', 'search_catalog', {
        term: 'Aurora Queue',
      });
      expect(found.data.items.map((i: any) => i.ref)).toEqual([
        'component:default/aurora-queue',
      ]);
      expect(found.data.items[0].title).toBe('[redacted]');
      expect(found.data.term).toBe('Aurora Queue');
      expect(found.text.split('\n')[0]).toBe(
        'Catalog matches for "Aurora Queue":',
      );
    });

    it('replaces whole words only, never part of a name or ref', async () => {
      const listed = await gateway.call('type-blind-bot', 'list_entities', {
        kind: 'Component',
        limit: 100,
      });
      const checkout = listed.data.items.find(
        (i: any) => i.name === 'checkout-service',
      );
      expect(checkout).toMatchObject({
        ref: 'component:default/checkout-service',
        type: '[redacted]',
      });
      expect(listed.text).toContain('component:default/checkout-service');
    });
  });

  describe('sorting', () => {
    it('refuses to sort by a redacted field, naming the rule', async () => {
      const sorted = await gateway.call('title-blind-bot', 'list_entities', {
        kind: 'Component',
        orderBy: 'title',
      });
      expect(sorted.isError).toBe(true);
      expect(sorted.text).toBe(
        "This agent may not sort by 'metadata.title': the field is redacted (mcpGateway.agents[title-blind].redact pattern 'metadata.title').",
      );
    });
  });

  describe('full-text search', () => {
    it('does not look in redacted fields, so a match cannot reveal them', async () => {
      const byEveryone = await gateway.call(
        'everything-bot',
        'search_catalog',
        {
          term: 'Borealis',
        },
      );
      expect(byEveryone.data.totalItems).toBe(1);
      const byTitleBlind = await gateway.call(
        'title-blind-bot',
        'search_catalog',
        {
          term: 'Borealis',
        },
      );
      expect(byTitleBlind.data.totalItems).toBe(0);
    });
  });
});

describe('config that could widen access', () => {
  it.each([
    ['tools.allow', { tools: { allow: ['!refresh_entity'] } }, "'!'"],
    [
      'tools.deny',
      { tools: { allow: ['*'], deny: ['{refresh,run}_*'] } },
      "'{'",
    ],
    ['redact', { redact: ['spec.@(owner|system)'] }, "'('"],
  ])(
    'stops the backend at start-up, naming %s',
    async (key, policy, character) => {
      await expect(
        startTestGateway({
          subjects: [],
          agents: [{ id: 'bot', principals: [{ service: 'bot' }], ...policy }],
        }),
      ).rejects.toThrow(
        new RegExp(
          `mcpGateway\\.agents\\[0\\]\\.${key.replace('.', '\\.')}\\[0\\]: .* uses ${character.replace(/[(){}]/g, '\\$&')}`,
        ),
      );
    },
  );
});
