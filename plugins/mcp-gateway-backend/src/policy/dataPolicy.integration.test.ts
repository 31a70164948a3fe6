import {
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../__testUtils__/testGateway';

const everything = ['*'];
const SUBJECTS = [
  'everything-bot',
  'scoped-bot',
  'onboarding-bot',
  'group-blind-bot',
  'title-blind-bot',
];

describe('entity visibility and redaction', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: SUBJECTS,
      agents: [
        {
          id: 'everything',
          principals: [{ service: 'everything-bot' }],
          tools: { allow: everything },
        },
        {
          id: 'scoped',
          principals: [{ service: 'scoped-bot' }],
          tools: { allow: everything },
          entities: {
            namespaces: ['default'],
            kinds: ['Component', 'API', 'Group', 'User', 'System'],
          },
        },
        {
          id: 'onboarding',
          principals: [{ service: 'onboarding-bot' }],
          tools: { allow: everything },
          entities: { exclude: { tags: ['restricted'] } },
          redact: [
            'spec.profile.email',
            'metadata.annotations.vault.example.com/*',
          ],
        },
        {
          id: 'title-blind',
          principals: [{ service: 'title-blind-bot' }],
          tools: { allow: everything },
          redact: ['metadata.title'],
        },
        {
          id: 'group-blind',
          principals: [{ service: 'group-blind-bot' }],
          tools: { allow: everything },
          entities: { exclude: { kinds: ['Group'] } },
        },
      ],
    });
    await waitForCatalog(gateway, tokenFor('everything-bot'), 70);
  }, 90_000);

  afterAll(() => gateway.stop());

  describe('visibility', () => {
    it('keeps totals and paging true: hidden entities are not counted', async () => {
      const all = await gateway.call('everything-bot', 'list_entities', {
        kind: 'Component',
        limit: 100,
      });
      const scoped = await gateway.call('scoped-bot', 'list_entities', {
        kind: 'Component',
        limit: 5,
      });
      expect(all.data.items.map((i: any) => i.ref)).toContain(
        'component:finance/ledger-service',
      );
      expect(scoped.data.totalItems).toBe(all.data.totalItems - 1);

      const refs: string[] = [...scoped.data.items.map((i: any) => i.ref)];
      let cursor = scoped.data.nextCursor;
      while (cursor) {
        const page = await gateway.call('scoped-bot', 'list_entities', {
          cursor,
          limit: 5,
        });
        refs.push(...page.data.items.map((i: any) => i.ref));
        cursor = page.data.nextCursor;
      }
      expect(refs).toHaveLength(scoped.data.totalItems);
      expect(refs).not.toContain('component:finance/ledger-service');

      const resources = await gateway.call('scoped-bot', 'list_entities', {
        kind: 'Resource',
      });
      expect(resources.data.totalItems).toBe(0);
    });

    it('makes a hidden entity "not found", without suggesting it', async () => {
      const direct = await gateway.call('scoped-bot', 'get_entity', {
        ref: 'component:finance/ledger-service',
      });
      expect(direct.isError).toBe(true);
      expect(direct.text).toMatch(
        /^No entity matches 'component:finance\/ledger-service'/,
      );
      // Only the caller's own words echo back; no suggestion names a hidden entity.
      expect(direct.text.split('Closest matches:')[1]).not.toMatch(
        /ledger|finance/,
      );
      const near = await gateway.call('scoped-bot', 'get_entity', {
        ref: 'ledger-servce',
      });
      expect(near.text).not.toContain('ledger-service');
      const search = await gateway.call('scoped-bot', 'search_catalog', {
        term: 'ledger',
      });
      expect(
        search.data.items
          .map((i: any) => i.ref)
          .filter((r: string) => r.includes('finance')),
      ).toEqual([]);
    });

    it('excludes entities by tag everywhere, and elides relations to them', async () => {
      const search = await gateway.call('onboarding-bot', 'search_catalog', {
        term: 'console',
      });
      expect(search.data.items.map((i: any) => i.ref)).not.toContain(
        'component:default/admin-console',
      );
      const tagged = await gateway.call('onboarding-bot', 'list_entities', {
        tag: 'restricted',
      });
      expect(tagged.data.totalItems).toBe(0);
      expect(
        (
          await gateway.call('onboarding-bot', 'get_entity', {
            ref: 'admin-console',
          })
        ).isError,
      ).toBe(true);

      const graph = await gateway.call(
        'onboarding-bot',
        'get_entity_relations',
        {
          ref: 'payments-api',
          direction: 'incoming',
          relationTypes: ['dependsOn'],
        },
      );
      const sources = graph.data.edges.map((e: any) => e.source);
      expect(sources).toContain('component:default/checkout-service');
      expect(sources).not.toContain('component:default/admin-console');
      const elided = graph.data.nodes.filter((n: any) =>
        n.ref.startsWith('elided:'),
      );
      expect(elided).toHaveLength(1);
      expect(elided[0].missing).toBe(true);
      expect(graph.text).not.toContain('admin-console');
    });

    it('elides a hidden owner in summaries, owners and relations', async () => {
      const entity = await gateway.call('group-blind-bot', 'get_entity', {
        ref: 'payments-api',
      });
      expect(entity.data.entity.owner).toMatch(/^elided:[0-9a-f]{12}$/);
      expect(entity.text).not.toContain('payments-team');
      const owners = await gateway.call('group-blind-bot', 'list_owners', {
        ref: 'payments-api',
      });
      expect(owners.data.owners[0].ref).toBe(entity.data.entity.owner);
      expect(owners.text).not.toContain('payments-team');
      const list = await gateway.call('group-blind-bot', 'list_entities', {
        kind: 'Component',
        owner: 'payments-team',
      });
      expect(
        list.data.items.every((i: any) => i.owner.startsWith('elided:')),
      ).toBe(true);
    });
  });

  describe('redaction', () => {
    const secret = 'secret/data/payments/api-token';

    it('tells the agent what it cannot see', async () => {
      const me = await gateway.call('onboarding-bot', 'who_am_i', {});
      expect(me.data.policy).toEqual({
        readOnly: true,
        entities: { excludedTags: ['restricted'] },
        redacted: [
          'spec.profile.email',
          'metadata.annotations.vault.example.com/*',
        ],
      });
      expect(me.text).toContain(
        'redacted: spec.profile.email, metadata.annotations.vault.example.com/*',
      );
    });

    it('replaces redacted fields with a visible marker in summaries, fields and full detail', async () => {
      const full = await gateway.call('onboarding-bot', 'get_entity', {
        ref: 'payments-api',
        detail: 'full',
      });
      expect(
        full.data.full.metadata.annotations['vault.example.com/token-path'],
      ).toBe('[redacted]');
      expect(
        full.data.full.metadata.annotations['github.com/project-slug'],
      ).toBe('acme/payments-api');
      expect(full.text).toContain(
        '"vault.example.com/token-path":"[redacted]"',
      );
      expect(JSON.stringify(full)).not.toContain(secret);

      const fields = await gateway.call('onboarding-bot', 'get_entity', {
        ref: 'payments-api',
        fields: [
          'metadata.annotations.vault.example.com/token-path',
          'metadata.annotations',
        ],
      });
      expect(
        fields.data.fields['metadata.annotations.vault.example.com/token-path'],
      ).toBe('[redacted]');
      expect(JSON.stringify(fields)).not.toContain(secret);

      // The same call by an agent without the rule shows the value.
      const plain = await gateway.call('everything-bot', 'get_entity', {
        ref: 'payments-api',
        detail: 'full',
      });
      expect(JSON.stringify(plain.data)).toContain(secret);
    });

    it('redacts people’s emails in owners, lists and user entities', async () => {
      const owners = await gateway.call('onboarding-bot', 'list_owners', {
        ref: 'payments-api',
      });
      const bob = owners.data.owners[0].members.find(
        (m: any) => m.ref === 'user:default/bob',
      );
      expect(bob).toEqual({
        ref: 'user:default/bob',
        displayName: 'Bob Okafor',
        email: '[redacted]',
      });
      expect(owners.text).toContain('"Bob Okafor" <[redacted]>');
      expect(owners.text).not.toMatch(/@acme\.example/);

      const users = await gateway.call('onboarding-bot', 'list_entities', {
        kind: 'User',
        fields: ['spec.profile'],
      });
      for (const item of users.data.items) {
        expect(item.fields['spec.profile'].email).toBe('[redacted]');
      }
      expect(users.text).not.toMatch(/@acme\.example/);
    });

    it('refuses to filter or sort on a redacted field, naming the rule', async () => {
      const probe = await gateway.call('onboarding-bot', 'list_entities', {
        annotation: `vault.example.com/token-path=${secret}`,
      });
      expect(probe.isError).toBe(true);
      expect(probe.text).toBe(
        "This agent may not filter on 'metadata.annotations.vault.example.com/token-path': the field is redacted (mcpGateway.agents[onboarding].redact pattern 'metadata.annotations.vault.example.com/*').",
      );
      expect(probe.text.includes(secret)).toBe(false);
    });

    it('cannot be bypassed through relations', async () => {
      const graph = await gateway.call(
        'title-blind-bot',
        'get_entity_relations',
        {
          ref: 'payments-api',
          relationTypes: ['dependsOn'],
        },
      );
      const fraud = graph.data.nodes.find(
        (n: any) => n.ref === 'component:default/fraud-detector',
      );
      expect(fraud.title).toBe('[redacted]');
      expect(graph.text).not.toMatch(/Fraud Detector|Payments API/);
      const owners = await gateway.call('title-blind-bot', 'list_owners', {
        ref: 'payments-api',
      });
      expect(owners.text).not.toContain('Payments API');
    });

    it('keeps redacted fields out of full-text search', async () => {
      const everythingSees = await gateway.call(
        'everything-bot',
        'search_catalog',
        {
          term: 'bob@acme',
          kind: 'User',
        },
      );
      const onboardingSees = await gateway.call(
        'onboarding-bot',
        'search_catalog',
        {
          term: 'bob@acme',
          kind: 'User',
        },
      );
      // Email is not a search field for anyone; a display name is, and stays searchable.
      expect(everythingSees.data.totalItems).toBe(
        onboardingSees.data.totalItems,
      );
      const byName = await gateway.call('onboarding-bot', 'search_catalog', {
        term: 'Okafor',
      });
      expect(byName.data.items.map((i: any) => i.ref)).toEqual([
        'user:default/bob',
      ]);
    });
  });
});
