import { Entity } from '@backstage/catalog-model';
import {
  elideHidden,
  elisionFor,
  isPlaceholderRef,
  refsNamedBy,
} from './elision';
import { REDACTED } from './redaction';

const entity = (
  kind: string,
  spec: Record<string, unknown> = {},
  relations: Array<{ type: string; targetRef: string }> = [],
  namespace = 'default',
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name: 'subject', namespace },
  spec: spec as Entity['spec'],
  relations,
});

describe('isPlaceholderRef', () => {
  it.each([REDACTED, 'elided:0123456789ab'])('is true for %j', ref => {
    expect(isPlaceholderRef(ref)).toBe(true);
  });

  it.each([
    'component:default/payments-api',
    'component:default/elided',
    'group:elided/x',
    'redacted',
    '',
  ])('is false for %j', ref => {
    expect(isPlaceholderRef(ref)).toBe(false);
  });
});

describe('refsNamedBy', () => {
  it('gives relation targets in lower case', () => {
    expect(
      refsNamedBy(
        entity('Component', {}, [
          { type: 'ownedBy', targetRef: 'Group:Default/SRE' },
          { type: 'dependsOn', targetRef: 'resource:default/db' },
        ]),
      ),
    ).toEqual(['group:default/sre', 'resource:default/db']);
  });

  it.each([
    ['spec.owner', { owner: 'sre' }, 'group:finance/sre'],
    ['spec.system', { system: 'ledger' }, 'system:finance/ledger'],
    ['spec.domain', { domain: 'money' }, 'domain:finance/money'],
    ['spec.subdomainOf', { subdomainOf: 'money' }, 'domain:finance/money'],
    [
      'spec.subcomponentOf',
      { subcomponentOf: 'ledger-core' },
      'component:finance/ledger-core',
    ],
    [
      'spec.dependsOn',
      { dependsOn: ['resource:ledger-db'] },
      'resource:finance/ledger-db',
    ],
    [
      'spec.dependencyOf',
      { dependencyOf: ['component:checkout'] },
      'component:finance/checkout',
    ],
    ['spec.providesApis', { providesApis: ['ledger'] }, 'api:finance/ledger'],
    ['spec.consumesApis', { consumesApis: ['fx'] }, 'api:finance/fx'],
    ['spec.memberOf', { memberOf: ['sre'] }, 'group:finance/sre'],
    ['spec.members', { members: ['alice'] }, 'user:finance/alice'],
    ['spec.parent', { parent: 'org' }, 'group:finance/org'],
    ['spec.children', { children: ['team-b'] }, 'group:finance/team-b'],
  ])(
    "reads %s with its default kind, in the entity's namespace",
    (_field, spec, ref) => {
      expect(refsNamedBy(entity('Component', spec, [], 'finance'))).toEqual([
        ref,
      ]);
    },
  );

  it('reads every value of a list, and explicit kinds and namespaces', () => {
    expect(
      refsNamedBy(
        entity('Component', {
          consumesApis: ['fx', 'API:Default/Rates', 'platform/auth'],
          owner: 'User:Alice',
        }),
      ).sort(),
    ).toEqual(
      [
        'api:default/fx',
        'api:default/rates',
        'api:platform/auth',
        'user:default/alice',
      ].sort(),
    );
  });

  it('skips what the catalog could not read as a ref either', () => {
    expect(
      refsNamedBy(
        entity('Component', {
          // dependsOn has no default kind: a bare name names nothing.
          dependsOn: ['ledger-db', 42, null, { name: 'x' }],
          owner: 'group:',
          system: 7,
        }),
      ),
    ).toEqual([]);
  });

  it('reads no other spec fields, nor metadata', () => {
    const named = refsNamedBy({
      ...entity('Component', {
        type: 'service',
        target: 'group:default/not-a-ref-field',
        implementedBy: 'component:default/custom',
      }),
      metadata: {
        name: 'subject',
        annotations: { 'backstage.io/owner': 'group:default/x' },
      },
    });
    expect(named).toEqual([]);
  });

  it('names nothing for an entity without spec or relations', () => {
    expect(
      refsNamedBy({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Location',
        metadata: { name: 'x' },
      }),
    ).toEqual([]);
  });
});

describe('elideHidden', () => {
  const hiddenRefs = new Set([
    'group:default/secret-team',
    'component:default/secret-service',
    'api:default/secret-api',
    'user:default/mallory',
  ]);
  const isHidden = (ref: string) => hiddenRefs.has(ref);
  const elide = elisionFor('bot', 'bot');

  const payments = () =>
    entity(
      'Component',
      {
        type: 'service',
        owner: 'secret-team',
        system: 'payments',
        dependsOn: ['component:secret-service', 'resource:default/db'],
        consumesApis: ['secret-api', 'public-api'],
      },
      [
        { type: 'ownedBy', targetRef: 'group:default/secret-team' },
        { type: 'partOf', targetRef: 'system:default/payments' },
        { type: 'dependsOn', targetRef: 'Component:Default/Secret-Service' },
        { type: 'dependsOn', targetRef: 'resource:default/db' },
        { type: 'consumesApi', targetRef: 'api:default/secret-api' },
        { type: 'consumesApi', targetRef: 'api:default/public-api' },
      ],
    );

  it('replaces every hidden name, in relations and spec alike', () => {
    const result = elideHidden(payments(), isHidden, elide);
    expect(result.relations).toEqual([
      { type: 'ownedBy', targetRef: elide('group:default/secret-team') },
      { type: 'partOf', targetRef: 'system:default/payments' },
      {
        type: 'dependsOn',
        targetRef: elide('component:default/secret-service'),
      },
      { type: 'dependsOn', targetRef: 'resource:default/db' },
      { type: 'consumesApi', targetRef: elide('api:default/secret-api') },
      { type: 'consumesApi', targetRef: 'api:default/public-api' },
    ]);
    expect(result.spec).toEqual({
      type: 'service',
      owner: elide('group:default/secret-team'),
      system: 'payments',
      dependsOn: [
        elide('component:default/secret-service'),
        'resource:default/db',
      ],
      consumesApis: [elide('api:default/secret-api'), 'public-api'],
    });
    expect(JSON.stringify(result)).not.toMatch(/secret|Secret/);
  });

  it('gives a hidden entity the same id in spec and relations, however each spells it', () => {
    const result = elideHidden(payments(), isHidden, elide);
    const owner = result.spec!.owner as string;
    expect(owner).toMatch(/^elided:[0-9a-f]{12}$/);
    expect(result.relations![0].targetRef).toBe(owner);
    const dependency = (result.spec!.dependsOn as string[])[0];
    expect(dependency).toMatch(/^elided:/);
    // 'component:secret-service' in spec, 'Component:Default/Secret-Service' in relations.
    expect(result.relations![2].targetRef).toBe(dependency);
  });

  it('gives every other agent or principal other ids', () => {
    const mine = elideHidden(payments(), isHidden, elide);
    const theirs = elideHidden(
      payments(),
      isHidden,
      elisionFor('bot', 'other'),
    );
    expect(theirs.spec!.owner).toMatch(/^elided:/);
    expect(theirs.spec!.owner).not.toBe(mine.spec!.owner);
    expect(
      elisionFor('other-bot', 'bot')('group:default/secret-team'),
    ).not.toBe(mine.spec!.owner);
  });

  it('asks about refs in lower case, with default kinds and namespaces applied', () => {
    const asked: string[] = [];
    elideHidden(
      entity(
        'User',
        { memberOf: ['Secret-Team'], owner: 'SRE' },
        [{ type: 'memberOf', targetRef: 'Group:Finance/Secret-Team' }],
        'Finance',
      ),
      ref => {
        asked.push(ref);
        return false;
      },
      elide,
    );
    expect(asked.sort()).toEqual(
      [
        'group:finance/secret-team',
        'group:finance/secret-team',
        'group:finance/sre',
      ].sort(),
    );
  });

  it.each<[Record<string, string | string[]>, string]>([
    [{ owner: 'user:mallory' }, 'user:default/mallory'],
    [{ subcomponentOf: 'secret-service' }, 'component:default/secret-service'],
    [{ providesApis: ['secret-api'] }, 'api:default/secret-api'],
    [{ members: ['mallory'] }, 'user:default/mallory'],
    [{ children: ['secret-team'] }, 'group:default/secret-team'],
  ])('elides %j as the ref %s means', (spec, ref) => {
    const result = elideHidden(entity('Component', spec), isHidden, elide);
    const [key] = Object.keys(spec);
    expect(result.spec![key]).toEqual(
      Array.isArray(spec[key]) ? [elide(ref)] : elide(ref),
    );
  });

  it('keeps visible names as written, and what it cannot read', () => {
    const spec = {
      owner: 'Platform-Team',
      dependsOn: ['ledger-db', 42, 'resource:default/db'],
      system: 'system:',
    };
    const result = elideHidden(entity('Component', spec), isHidden, elide);
    expect(result.spec).toEqual(spec);
  });

  it('leaves other spec fields and metadata alone', () => {
    const source = entity('Component', {
      type: 'secret-service',
      target: 'group:default/secret-team',
    });
    source.metadata.description = 'Talks to group:default/secret-team';
    const result = elideHidden(source, isHidden, elide);
    expect(result.spec).toEqual(source.spec);
    expect(result.metadata).toEqual(source.metadata);
  });

  it('keeps only the type and target of each relation', () => {
    const source = entity('Component');
    // Older catalogs also sent each target as an object.
    const legacy = {
      type: 'ownedBy',
      targetRef: 'group:default/secret-team',
      target: { kind: 'group', namespace: 'default', name: 'secret-team' },
    };
    source.relations = [legacy];
    const result = elideHidden(source, isHidden, elide);
    expect(result.relations).toEqual([
      { type: 'ownedBy', targetRef: elide('group:default/secret-team') },
    ]);
    expect(JSON.stringify(result)).not.toContain('secret-team');
  });

  it('changes nothing in the entity it was given', () => {
    const source = payments();
    const copy = JSON.parse(JSON.stringify(source));
    elideHidden(source, isHidden, elide);
    expect(source).toEqual(copy);
  });

  it('adds no spec or relations an entity did not have', () => {
    const bare: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Location',
      metadata: { name: 'x' },
    };
    const result = elideHidden(bare, () => true, elide);
    expect(result).toEqual(bare);
    expect(Object.keys(result)).toEqual(['apiVersion', 'kind', 'metadata']);
  });

  it('leaves everything as it was when nothing is hidden', () => {
    const source = payments();
    expect(elideHidden(source, () => false, elide)).toEqual(source);
  });
});
