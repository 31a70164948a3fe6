import { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { boundServices } from '../../__testUtils__/boundServices';
import { buildFilter } from './filters';

const system = (name: string, namespace?: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: { name, ...(namespace && { namespace }) },
});

/**
 * A caller's catalog over a catalog that can only stream these pages (the
 * domain filter's one catalog read; any other call would throw), recording
 * what reached it. A stand-in rather than catalogServiceMock: importing
 * @backstage/backend-test-utils alone costs this file seconds.
 */
function setup(options: { pages?: Entity[][]; redact?: string[] } = {}) {
  const streamed: unknown[] = [];
  const catalog = {
    async *streamEntities(request: unknown) {
      streamed.push(request);
      for (const page of options.pages ?? []) yield page;
    },
  } as unknown as CatalogService;
  const callerCatalog = boundServices(catalog, {
    id: 'bot',
    redact: options.redact ?? [],
  }).catalog;
  return { callerCatalog, streamed };
}

describe('buildFilter', () => {
  const { callerCatalog } = setup();
  const build = (args: Parameters<typeof buildFilter>[1]) =>
    buildFilter(callerCatalog, args);

  it('is no filter at all when no filter is given', async () => {
    await expect(build({})).resolves.toBeUndefined();
    await expect(build({ kind: '', tag: '' })).resolves.toBeUndefined();
  });

  describe('each filter', () => {
    it.each([
      [{ kind: 'Component' }, { kind: 'Component' }],
      [{ type: 'service' }, { 'spec.type': 'service' }],
      [{ namespace: 'finance' }, { 'metadata.namespace': 'finance' }],
      [{ lifecycle: 'production' }, { 'spec.lifecycle': 'production' }],
      [{ tag: 'java' }, { 'metadata.tags': 'java' }],
      [
        { owner: 'payments-team' },
        { 'relations.ownedBy': 'group:default/payments-team' },
      ],
      [
        { system: 'payments' },
        { 'relations.partOf': 'system:default/payments' },
      ],
      [
        { annotation: 'pagerduty.com/service-id' },
        { 'metadata.annotations.pagerduty.com/service-id': { $exists: true } },
      ],
      [
        { annotation: 'backstage.io/techdocs-ref=dir:.' },
        { 'metadata.annotations.backstage.io/techdocs-ref': 'dir:.' },
      ],
    ])('%j filters %j', async (args, predicate) => {
      await expect(build(args)).resolves.toEqual(predicate);
    });
  });

  describe('owner and system refs', () => {
    it.each([
      [
        'a name, as a group in the default namespace',
        'sre',
        'group:default/sre',
      ],
      ['kind:name', 'user:alice', 'user:default/alice'],
      ['namespace/name', 'finance/ledger-team', 'group:finance/ledger-team'],
      ['a full ref, in any case', 'Group:Finance/SRE', 'group:finance/sre'],
    ])('reads %s', async (_what, owner, ref) => {
      await expect(build({ owner })).resolves.toEqual({
        'relations.ownedBy': ref,
      });
    });

    it('reads a system the same way, with system as the default kind', async () => {
      await expect(build({ system: 'Finance/Ledger' })).resolves.toEqual({
        'relations.partOf': 'system:finance/ledger',
      });
      await expect(build({ system: 'component:default/x' })).resolves.toEqual({
        'relations.partOf': 'component:default/x',
      });
    });

    it.each(['a,b', 'group:default/a,kind=User', 'a b', 'group:'])(
      'refuses %j as not an entity ref',
      async owner => {
        await expect(build({ owner })).rejects.toThrow(
          `'${owner}' is not an entity reference.`,
        );
        await expect(build({ system: owner })).rejects.toThrow(
          'is not an entity reference',
        );
      },
    );
  });

  describe('values with separators the string filter would parse', () => {
    it.each([
      [{ kind: 'Component,kind=API' }, { kind: 'Component,kind=API' }],
      [
        { type: 'service,metadata.name=secret' },
        { 'spec.type': 'service,metadata.name=secret' },
      ],
      [
        { lifecycle: 'production:experimental' },
        { 'spec.lifecycle': 'production:experimental' },
      ],
      [{ tag: 'a,b=c' }, { 'metadata.tags': 'a,b=c' }],
      [
        { namespace: 'default,namespace=finance' },
        { 'metadata.namespace': 'default,namespace=finance' },
      ],
    ])('%j keeps its value whole, under one key', async (args, predicate) => {
      await expect(build(args)).resolves.toEqual(predicate);
    });

    it('splits an annotation at its first = only', async () => {
      await expect(
        build({ annotation: 'example.com/url=https://x.example/?a=1,b=2' }),
      ).resolves.toEqual({
        'metadata.annotations.example.com/url': 'https://x.example/?a=1,b=2',
      });
      await expect(build({ annotation: 'a=b=c' })).resolves.toEqual({
        'metadata.annotations.a': 'b=c',
      });
    });

    it('keeps a comma in an annotation key in the key', async () => {
      await expect(build({ annotation: 'a,kind=User' })).resolves.toEqual({
        'metadata.annotations.a,kind': 'User',
      });
    });

    it('trims the annotation key and value around the =', async () => {
      await expect(
        build({ annotation: 'backstage.io/techdocs-ref = dir:.' }),
      ).resolves.toEqual({
        'metadata.annotations.backstage.io/techdocs-ref': 'dir:.',
      });
    });
  });

  describe('case', () => {
    it('passes plain values as given (the catalog compares them case-insensitively)', async () => {
      await expect(
        build({ kind: 'cOmPoNeNt', type: 'Service', tag: 'Java' }),
      ).resolves.toEqual({
        kind: 'cOmPoNeNt',
        'spec.type': 'Service',
        'metadata.tags': 'Java',
      });
    });

    it('keeps the case of an annotation key and value', async () => {
      await expect(
        build({ annotation: 'GitHub.com/Project-Slug=Acme/Payments' }),
      ).resolves.toEqual({
        'metadata.annotations.GitHub.com/Project-Slug': 'Acme/Payments',
      });
    });
  });

  describe('combinations', () => {
    it('requires every filter given', async () => {
      await expect(
        build({
          kind: 'Component',
          type: 'service',
          namespace: 'default',
          owner: 'sre',
          lifecycle: 'production',
          tag: 'java',
          system: 'payments',
          annotation: 'pagerduty.com/service-id',
        }),
      ).resolves.toEqual({
        kind: 'Component',
        'spec.type': 'service',
        'metadata.namespace': 'default',
        'relations.ownedBy': 'group:default/sre',
        'spec.lifecycle': 'production',
        'metadata.tags': 'java',
        'relations.partOf': 'system:default/payments',
        'metadata.annotations.pagerduty.com/service-id': { $exists: true },
      });
    });

    it('refuses system and domain together', async () => {
      await expect(
        build({ system: 'payments', domain: 'commerce' }),
      ).rejects.toThrow('Give either system or domain, not both.');
    });
  });

  describe('domain', () => {
    it("matches the domain's systems and everything that is part of one", async () => {
      const { callerCatalog: catalog, streamed } = setup({
        pages: [
          [system('payments')],
          [system('Ledger', 'Finance'), system('billing', 'default')],
        ],
      });
      await expect(
        buildFilter(catalog, { domain: 'commerce', kind: 'Component' }),
      ).resolves.toEqual({
        $any: [
          { kind: 'Component', 'relations.partOf': 'domain:default/commerce' },
          {
            kind: 'Component',
            'relations.partOf': {
              $in: [
                'system:default/payments',
                'system:finance/ledger',
                'system:default/billing',
              ],
            },
          },
        ],
      });
      // The systems are found by the catalog, as structured predicates.
      expect(streamed).toEqual([
        expect.objectContaining({
          query: {
            kind: 'System',
            'relations.partOf': 'domain:default/commerce',
          },
        }),
      ]);
    });

    it('reads the domain as a ref, with domain as the default kind', async () => {
      const { callerCatalog: catalog, streamed } = setup();
      await expect(
        buildFilter(catalog, { domain: 'Finance/Core' }),
      ).resolves.toEqual({
        $any: [{ 'relations.partOf': 'domain:finance/core' }],
      });
      expect(streamed).toEqual([
        expect.objectContaining({
          query: { kind: 'System', 'relations.partOf': 'domain:finance/core' },
        }),
      ]);
    });

    it('is refused when the agent may not see what is part of what', async () => {
      const { callerCatalog: catalog, streamed } = setup({
        redact: ['spec.domain'],
      });
      await expect(
        buildFilter(catalog, { domain: 'commerce' }),
      ).rejects.toThrow("This agent may not filter on 'relations.partOf'");
      expect(streamed).toEqual([]);
    });
  });
});
