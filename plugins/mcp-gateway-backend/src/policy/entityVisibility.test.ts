import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readGatewayConfig } from '../config/gatewayConfig';
import { EntityVisibility } from './entityVisibility';

/** An agent's visibility, read from config as at start-up. */
function visibilityOf(entities?: JsonObject) {
  const [agent] = readGatewayConfig(
    new ConfigReader({
      mcpGateway: {
        agents: [
          {
            id: 'bot',
            principals: [{ service: 'bot' }],
            ...(entities && { entities }),
          },
        ],
      },
    }),
  ).agents;
  return EntityVisibility.of(agent);
}

function rules(entities: JsonObject): EntityVisibility {
  const visibility = visibilityOf(entities);
  if (!visibility) throw new Error('expected visibility rules');
  return visibility;
}

describe('EntityVisibility.of', () => {
  it('has no rules when the agent has no entities rules', () => {
    expect(visibilityOf()).toBeUndefined();
    expect(visibilityOf({})).toBeUndefined();
    expect(
      visibilityOf({ exclude: { kinds: [], namespaces: [], tags: [] } }),
    ).toBeUndefined();
  });

  it.each([
    ['kinds', { kinds: ['Component'] }],
    ['namespaces', { namespaces: ['default'] }],
    ['excluded kinds', { exclude: { kinds: ['User'] } }],
    ['excluded namespaces', { exclude: { namespaces: ['finance'] } }],
    ['excluded tags', { exclude: { tags: ['restricted'] } }],
  ])('has rules for %s alone', (_what, entities) => {
    expect(visibilityOf(entities)).toBeInstanceOf(EntityVisibility);
  });

  it('treats an empty kinds list as a rule that shows nothing', () => {
    const visibility = rules({ kinds: [] });
    expect(visibility.predicate).toEqual({ $all: [{ kind: { $in: [] } }] });
    expect(visibility.allowsRef('component:default/a')).toBe(false);
  });
});

describe('EntityVisibility.predicate', () => {
  it.each([
    [{ kinds: ['Component', 'API'] }, { kind: { $in: ['Component', 'API'] } }],
    [
      { namespaces: ['default'] },
      { 'metadata.namespace': { $in: ['default'] } },
    ],
    [{ exclude: { kinds: ['User'] } }, { $not: { kind: { $in: ['User'] } } }],
    [
      { exclude: { namespaces: ['finance'] } },
      { $not: { 'metadata.namespace': { $in: ['finance'] } } },
    ],
    [
      { exclude: { tags: ['restricted', 'secret'] } },
      { $not: { 'metadata.tags': { $in: ['restricted', 'secret'] } } },
    ],
  ])('makes %j the catalog predicate %j', (entities, predicate) => {
    expect(rules(entities).predicate).toEqual({ $all: [predicate] });
  });

  it('requires every rule at once', () => {
    expect(
      rules({
        kinds: ['Component', 'Group'],
        namespaces: ['default', 'platform'],
        exclude: {
          kinds: ['Group'],
          namespaces: ['platform'],
          tags: ['restricted'],
        },
      }).predicate,
    ).toEqual({
      $all: [
        { kind: { $in: ['Component', 'Group'] } },
        { 'metadata.namespace': { $in: ['default', 'platform'] } },
        { $not: { kind: { $in: ['Group'] } } },
        { $not: { 'metadata.namespace': { $in: ['platform'] } } },
        { $not: { 'metadata.tags': { $in: ['restricted'] } } },
      ],
    });
  });

  it('needs the entity itself only for tag rules', () => {
    expect(rules({ exclude: { tags: ['restricted'] } }).needsLookup).toBe(true);
    expect(
      rules({
        kinds: ['Component'],
        namespaces: ['default'],
        exclude: { kinds: ['User'], namespaces: ['finance'] },
      }).needsLookup,
    ).toBe(false);
  });
});

describe('EntityVisibility.allowsRef', () => {
  describe('kinds', () => {
    const visibility = rules({ kinds: ['Component', 'API'] });

    it('allows refs of the listed kinds, in any case', () => {
      for (const ref of [
        'component:default/a',
        'Component:default/a',
        'api:default/payments',
        'API:finance/Payments',
      ]) {
        expect(visibility.allowsRef(ref)).toBe(true);
      }
    });

    it('refuses refs of other kinds', () => {
      expect(visibility.allowsRef('group:default/sre')).toBe(false);
      expect(visibility.allowsRef('componentx:default/a')).toBe(false);
    });
  });

  describe('namespaces', () => {
    const visibility = rules({ namespaces: ['Default', 'platform'] });

    it('allows refs in the listed namespaces, in any case', () => {
      expect(visibility.allowsRef('component:default/a')).toBe(true);
      expect(visibility.allowsRef('component:PLATFORM/a')).toBe(true);
    });

    it('reads a ref without a namespace as in the default namespace', () => {
      expect(visibility.allowsRef('component:a')).toBe(true);
      expect(rules({ namespaces: ['finance'] }).allowsRef('component:a')).toBe(
        false,
      );
    });

    it('refuses refs in other namespaces', () => {
      expect(visibility.allowsRef('component:finance/ledger')).toBe(false);
    });
  });

  describe('excludes', () => {
    const visibility = rules({
      kinds: ['Component', 'Group', 'User'],
      exclude: { kinds: ['group'], namespaces: ['Finance'] },
    });

    it('refuses excluded kinds and namespaces in any case, even when listed', () => {
      expect(visibility.allowsRef('Group:default/sre')).toBe(false);
      expect(visibility.allowsRef('component:finance/ledger')).toBe(false);
      expect(visibility.allowsRef('user:FINANCE/alice')).toBe(false);
    });

    it('allows what no exclude names', () => {
      expect(visibility.allowsRef('user:default/alice')).toBe(true);
    });

    it('leaves tag excludes to the catalog: a ref alone says nothing of tags', () => {
      const tags = rules({ exclude: { tags: ['restricted'] } });
      expect(tags.allowsRef('component:default/secret-thing')).toBe(true);
    });
  });

  describe('malformed refs', () => {
    const visibility = rules({ exclude: { kinds: ['User'] } });

    it.each([
      ['no kind', 'payments-api'],
      ['only a kind', 'component:'],
      ['nothing', ''],
      ['an empty kind', ':a'],
      ['an empty namespace', 'component:/a'],
      ['the redaction marker', '[redacted]'],
    ])('refuses a ref with %s', (_what, ref) => {
      expect(visibility.allowsRef(ref)).toBe(false);
    });
  });
});
