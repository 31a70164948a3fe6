import { ConfigReader } from '@backstage/config';
import { JsonValue } from '@backstage/types';
import {
  CATALOG_ENTITY_DEFAULTS,
  readCatalogEntityConfig,
} from './catalogEntityConfig';

const MCP_URL = 'https://backstage.example.com/api/mcp-gateway';

const read = (catalogEntity?: JsonValue) =>
  readCatalogEntityConfig(
    new ConfigReader(
      catalogEntity === undefined ? {} : { mcpGateway: { catalogEntity } },
    ),
    MCP_URL,
  );

describe('readCatalogEntityConfig', () => {
  it('fills every default but the owner', () => {
    expect(read({ owner: 'group:default/platform' })).toEqual({
      enabled: true,
      name: 'mcp-gateway',
      title: 'MCP Gateway',
      description:
        'Backstage as MCP tools for AI agents, with per-agent identity, policy and audit.',
      owner: 'group:default/platform',
      lifecycle: 'production',
      serverName: 'com.example.backstage/mcp-gateway',
    });
  });

  it('keeps every key that is set', () => {
    expect(
      read({
        enabled: true,
        name: 'backstage-mcp',
        title: 'Acme Backstage MCP',
        description: 'Acme tools.',
        owner: 'user:default/alice',
        lifecycle: 'experimental',
        system: 'developer-platform',
        serverName: 'com.acme/backstage',
      }),
    ).toEqual({
      enabled: true,
      name: 'backstage-mcp',
      title: 'Acme Backstage MCP',
      description: 'Acme tools.',
      owner: 'user:default/alice',
      lifecycle: 'experimental',
      system: 'developer-platform',
      serverName: 'com.acme/backstage',
    });
  });

  it('derives the server name from the entity name it is given', () => {
    expect(read({ owner: 'platform', name: 'tools' })).toMatchObject({
      serverName: 'com.example.backstage/tools',
    });
  });

  it('is off with enabled: false, and then needs no owner', () => {
    expect(read({ enabled: false })).toEqual({ enabled: false });
  });

  it.each([
    ['no catalogEntity at all', undefined],
    ['an empty catalogEntity', {}],
    ['enabled without an owner', { enabled: true, title: 'Gateway' }],
  ])('refuses %s, naming the owner key and the way out', (_what, value) => {
    expect(() => read(value)).toThrow(
      'Invalid MCP gateway catalog entity configuration. mcpGateway.catalogEntity.owner: is required: the gateway registers itself in the catalog as an API entity, which needs an owner. Set mcpGateway.catalogEntity.owner (e.g. group:default/platform), or set mcpGateway.catalogEntity.enabled: false to not register it',
    );
  });

  it.each([
    [
      'an invalid name',
      { name: 'MCP gateway!' },
      'name: must be a valid entity name',
    ],
    [
      'a name too long',
      { name: 'a'.repeat(64) },
      'name: must be a valid entity name',
    ],
    ['an empty title', { title: '  ' }, 'title: must not be empty'],
    ['an empty lifecycle', { lifecycle: '' }, 'lifecycle: must not be empty'],
    [
      'an owner that is no ref',
      { owner: 'group:default/' },
      'owner: must be an entity ref of a group or a user, e.g. group:default/platform',
    ],
    [
      'an owner of another kind',
      { owner: 'component:default/platform' },
      'owner: must be an entity ref of a group or a user',
    ],
    [
      'a system of another kind',
      { system: 'group:default/platform' },
      'system: must be an entity ref of a system, e.g. system:default/developer-platform',
    ],
    [
      'a server name without a namespace',
      { serverName: 'backstage' },
      'serverName: must be a namespaced MCP server name',
    ],
    ['a misspelled key', { titel: 'Gateway' }, 'Unrecognized key: "titel"'],
    ['a string for enabled', { enabled: 'no' }, 'enabled:'],
  ])('refuses %s', (_what, value, message) => {
    expect(() => read({ owner: 'group:default/platform', ...value })).toThrow(
      message,
    );
  });

  it('names every invalid key at once', () => {
    expect(() => read({ name: '-', title: '' })).toThrow(
      /mcpGateway\.catalogEntity\.name: .*; mcpGateway\.catalogEntity\.title: .*; mcpGateway\.catalogEntity\.owner: is required/,
    );
  });

  it('defaults to a description short enough for registries (100 characters)', () => {
    expect(CATALOG_ENTITY_DEFAULTS.description.length).toBeLessThanOrEqual(100);
  });
});
