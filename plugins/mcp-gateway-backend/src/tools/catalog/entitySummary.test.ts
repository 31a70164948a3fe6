import { Entity } from '@backstage/catalog-model';
import { REDACTED } from '../../policy/redaction';
import {
  dropUndefined,
  EntityItem,
  itemLine,
  pickFields,
  toItem,
  toSummary,
} from './entitySummary';

const ELIDED = 'elided:0123456789ab';

const component = (
  overrides: {
    metadata?: Record<string, unknown>;
    spec?: Record<string, unknown>;
    relations?: Array<{ type: string; targetRef: string }>;
  } = {},
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'payments-api',
    namespace: 'default',
    ...overrides.metadata,
  },
  spec: { ...overrides.spec } as Entity['spec'],
  ...(overrides.relations && { relations: overrides.relations }),
});

describe('toItem', () => {
  it('shapes an entity into a compact item', () => {
    const item = toItem(
      component({
        metadata: {
          title: 'Payments API',
          description: 'Takes payments.',
          tags: ['java', 'pci'],
          annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
        },
        spec: {
          type: 'service',
          lifecycle: 'production',
          owner: 'payments-team',
          system: 'payments',
        },
        relations: [
          { type: 'ownedBy', targetRef: 'group:default/payments-team' },
          { type: 'partOf', targetRef: 'system:default/payments' },
        ],
      }),
    );
    expect(item).toEqual({
      ref: 'component:default/payments-api',
      kind: 'Component',
      name: 'payments-api',
      namespace: 'default',
      title: 'Payments API',
      description: 'Takes payments.',
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments-team',
      system: 'system:default/payments',
      tags: ['java', 'pci'],
    });
  });

  it('leaves out what the entity does not have, rather than giving undefined', () => {
    const item = toItem(component());
    expect(item).toEqual({
      ref: 'component:default/payments-api',
      kind: 'Component',
      name: 'payments-api',
      namespace: 'default',
      tags: [],
    });
    expect(Object.keys(item)).not.toContain('title');
    expect(Object.keys(item)).not.toContain('owner');
    expect(Object.keys(item)).not.toContain('fields');
  });

  it('puts an entity without a namespace in the default one', () => {
    const entity = component();
    delete entity.metadata.namespace;
    expect(toItem(entity)).toMatchObject({
      ref: 'component:default/payments-api',
      namespace: 'default',
    });
  });

  it("takes a person's display name as the title, unless there is a title", () => {
    const user: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'alice' },
      spec: { profile: { displayName: 'Alice Example' } },
    };
    expect(toItem(user).title).toBe('Alice Example');
    user.metadata.title = 'Dr Alice';
    expect(toItem(user).title).toBe('Dr Alice');
  });

  it('flattens the description and cuts it at 160 characters', () => {
    const long = `${'word '.repeat(50)}end`;
    const item = toItem(component({ metadata: { description: long } }));
    expect(item.description).toHaveLength(160);
    expect(item.description).toBe(`${long.slice(0, 159)}…`);
    expect(
      toItem(component({ metadata: { description: ' two\n\n  lines\t' } }))
        .description,
    ).toBe('two lines');
    const exact = 'x'.repeat(160);
    expect(
      toItem(component({ metadata: { description: exact } })).description,
    ).toBe(exact);
  });

  it('gives only string types and lifecycles', () => {
    const item = toItem(
      component({ spec: { type: 7, lifecycle: { stage: 'production' } } }),
    );
    expect(item.type).toBeUndefined();
    expect(item.lifecycle).toBeUndefined();
  });

  it('adds the extra fields asked for', () => {
    const item = toItem(
      component({
        metadata: { annotations: { 'backstage.io/techdocs-ref': 'dir:.' } },
      }),
      ['metadata.annotations.backstage.io/techdocs-ref', 'spec.nothing'],
    );
    expect(item.fields).toEqual({
      'metadata.annotations.backstage.io/techdocs-ref': 'dir:.',
    });
  });

  describe('owner', () => {
    it('prefers the ownedBy relation, which the catalog resolved', () => {
      const item = toItem(
        component({
          metadata: { namespace: 'finance' },
          spec: { owner: 'team-a' },
          relations: [{ type: 'ownedBy', targetRef: 'group:default/team-a' }],
        }),
      );
      expect(item.owner).toBe('group:default/team-a');
    });

    it.each([
      ['a name, as a group', 'team-a', 'group:finance/team-a'],
      ['kind:name', 'user:alice', 'user:finance/alice'],
      ['namespace/name', 'platform/sre', 'group:platform/sre'],
      ['a full ref', 'group:default/sre', 'group:default/sre'],
    ])(
      "reads spec.owner, %s, in the entity's namespace",
      (_what, owner, ref) => {
        const entity = component({
          metadata: { namespace: 'finance' },
          spec: { owner },
        });
        expect(toItem(entity).owner).toBe(ref);
      },
    );

    it('gives an elided owner as its id, not as a ref it would make of it', () => {
      expect(toItem(component({ spec: { owner: ELIDED } })).owner).toBe(ELIDED);
      expect(
        toItem(
          component({
            spec: { owner: ELIDED },
            relations: [{ type: 'ownedBy', targetRef: ELIDED }],
          }),
        ).owner,
      ).toBe(ELIDED);
    });

    it('gives a redacted owner as the marker', () => {
      expect(toItem(component({ spec: { owner: REDACTED } })).owner).toBe(
        REDACTED,
      );
      expect(
        toItem(
          component({
            spec: { owner: REDACTED },
            relations: [{ type: 'ownedBy', targetRef: REDACTED }],
          }),
        ).owner,
      ).toBe(REDACTED);
    });

    it('gives an owner the catalog cannot read as written', () => {
      expect(toItem(component({ spec: { owner: 'group:' } })).owner).toBe(
        'group:',
      );
    });

    it('ignores an owner that is not a string', () => {
      expect(
        toItem(component({ spec: { owner: ['a', 'b'] } })).owner,
      ).toBeUndefined();
    });
  });

  describe('system', () => {
    it('takes a partOf relation only when it leads to a system', () => {
      expect(
        toItem(
          component({
            spec: { subcomponentOf: 'checkout' },
            relations: [
              { type: 'partOf', targetRef: 'component:default/checkout' },
              { type: 'partOf', targetRef: 'system:default/payments' },
            ],
          }),
        ).system,
      ).toBe('system:default/payments');
    });

    it('never gives the domain a System is part of as its system', () => {
      const system: Entity = {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'System',
        metadata: { name: 'payments', namespace: 'default' },
        spec: { owner: 'sre', domain: ELIDED },
        relations: [{ type: 'partOf', targetRef: ELIDED }],
      };
      expect(toItem(system).system).toBeUndefined();
      system.relations = [{ type: 'partOf', targetRef: 'domain:default/x' }];
      system.spec!.domain = 'x';
      expect(toItem(system).system).toBeUndefined();
    });

    it('gives an elided system as the id spec.system carries', () => {
      expect(
        toItem(
          component({
            spec: { system: ELIDED },
            relations: [{ type: 'partOf', targetRef: ELIDED }],
          }),
        ).system,
      ).toBe(ELIDED);
    });

    it("reads spec.system, with system as the kind, in the entity's namespace", () => {
      expect(
        toItem(
          component({
            metadata: { namespace: 'finance' },
            spec: { system: 'ledger' },
          }),
        ).system,
      ).toBe('system:finance/ledger');
    });
  });

  describe('fields that redaction replaced by the marker', () => {
    it('keeps working when whole fields are the marker', () => {
      const item = toItem(
        component({
          metadata: { tags: REDACTED, description: REDACTED },
          spec: { type: REDACTED, system: REDACTED },
        }),
      );
      expect(item).toMatchObject({
        tags: [REDACTED],
        description: REDACTED,
        type: REDACTED,
        system: REDACTED,
      });
    });
  });
});

describe('toSummary', () => {
  const entity = component({
    metadata: {
      description: `${'long '.repeat(60)}description`,
      links: [
        { url: 'https://runbooks.example/payments', title: 'Runbook' },
        { url: 'https://grafana.example/d/1' },
      ],
    },
    spec: { owner: 'sre' },
    relations: [
      { type: 'ownedBy', targetRef: 'group:default/sre' },
      { type: 'dependsOn', targetRef: ELIDED },
      { type: 'consumesApi', targetRef: REDACTED },
    ],
  });

  it('gives the whole description, links and every relation', () => {
    const summary = toSummary(entity);
    expect(summary.description).toBe(entity.metadata.description);
    expect(summary.links).toEqual([
      { url: 'https://runbooks.example/payments', title: 'Runbook' },
      { url: 'https://grafana.example/d/1' },
    ]);
    expect(Object.keys(summary.links[1])).toEqual(['url']);
    expect(summary.relations).toEqual([
      { type: 'ownedBy', target: 'group:default/sre' },
      { type: 'dependsOn', target: ELIDED },
      { type: 'consumesApi', target: REDACTED },
    ]);
    expect(summary).not.toHaveProperty('fields');
  });

  it('has no links or relations when the entity has none', () => {
    expect(toSummary(component())).toMatchObject({ links: [], relations: [] });
  });

  it('has no relations, not a made-up one, when redaction replaced them all', () => {
    expect(
      toSummary(component({ relations: REDACTED as never })).relations,
    ).toEqual([]);
  });

  it('gives redacted links as the marker', () => {
    expect(
      toSummary(component({ metadata: { links: REDACTED } })).links,
    ).toEqual([{ url: REDACTED }]);
  });
});

describe('pickFields', () => {
  const entity = component({
    metadata: {
      annotations: {
        'github.com/project-slug': 'acme/payments',
        'backstage.io/techdocs-ref': 'dir:.',
        'vault.example.com/path': REDACTED,
      },
      tags: ['java', 'pci'],
    },
    spec: {
      owner: ELIDED,
      profile: REDACTED,
      definition: { openapi: '3.0.0', info: { title: 'Payments' } },
      'a.b': { c: 'under the dotted key' },
      a: { b: { c: 'under the nested keys' } },
    },
  });

  it('gives nothing for names every object inherits', () => {
    expect(
      pickFields(entity, [
        'constructor',
        'metadata.toString',
        'metadata.__proto__',
        'spec.hasOwnProperty',
      ]),
    ).toEqual({});
  });

  it('gives values at dotted paths, keyed by the path asked for', () => {
    expect(
      pickFields(entity, [
        'spec.definition.info.title',
        'metadata.tags',
        'kind',
      ]),
    ).toEqual({
      'spec.definition.info.title': 'Payments',
      'metadata.tags': ['java', 'pci'],
      kind: 'Component',
    });
  });

  it('gives whole objects', () => {
    expect(pickFields(entity, ['spec.definition'])).toEqual({
      'spec.definition': { openapi: '3.0.0', info: { title: 'Payments' } },
    });
  });

  it('reaches into keys that contain dots', () => {
    expect(
      pickFields(entity, [
        'metadata.annotations.github.com/project-slug',
        'metadata.annotations.backstage.io/techdocs-ref',
      ]),
    ).toEqual({
      'metadata.annotations.github.com/project-slug': 'acme/payments',
      'metadata.annotations.backstage.io/techdocs-ref': 'dir:.',
    });
  });

  it('tries the longest key first', () => {
    expect(pickFields(entity, ['spec.a.b.c'])).toEqual({
      'spec.a.b.c': 'under the dotted key',
    });
  });

  it('reaches into arrays by index', () => {
    expect(pickFields(entity, ['metadata.tags.1'])).toEqual({
      'metadata.tags.1': 'pci',
    });
  });

  it('leaves out paths that lead nowhere', () => {
    expect(
      pickFields(entity, [
        'spec.nothing',
        'spec.definition.info.title.more',
        'metadata.annotations.github.com',
        'metadata.tags.7',
      ]),
    ).toEqual({});
  });

  it('gives hidden and placeholder values as they are', () => {
    expect(
      pickFields(entity, [
        'spec.owner',
        'spec.profile',
        'metadata.annotations.vault.example.com/path',
      ]),
    ).toEqual({
      'spec.owner': ELIDED,
      'spec.profile': REDACTED,
      'metadata.annotations.vault.example.com/path': REDACTED,
    });
  });

  it('gives nothing for no paths', () => {
    expect(pickFields(entity, [])).toEqual({});
  });
});

describe('itemLine', () => {
  const item: EntityItem = {
    ref: 'component:default/payments-api',
    kind: 'Component',
    name: 'payments-api',
    namespace: 'default',
    title: 'Payments API',
    description: 'Takes payments.',
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/sre',
    tags: [],
  };

  it('says the ref, title, type, lifecycle, owner and description on one line', () => {
    expect(itemLine(item)).toBe(
      '- component:default/payments-api "Payments API" (service, production) owner group:default/sre - Takes payments.',
    );
  });

  it('leaves out a title that only repeats the name, and facts it lacks', () => {
    expect(
      itemLine({
        ...item,
        title: 'payments-api',
        lifecycle: undefined,
        owner: undefined,
        description: undefined,
      }),
    ).toBe('- component:default/payments-api (service)');
  });

  it('adds the extra fields, one per line, as JSON', () => {
    expect(
      itemLine({ ...item, fields: { 'spec.profile.email': 'a@example.com' } }),
    ).toBe(`${itemLine(item)}\n  spec.profile.email: "a@example.com"`);
  });
});

describe('dropUndefined', () => {
  it('removes undefined keys and keeps other falsy values', () => {
    expect(
      Object.keys(
        dropUndefined({ a: undefined, b: null, c: 0, d: '', e: false }),
      ),
    ).toEqual(['b', 'c', 'd', 'e']);
  });
});
