import { parse } from 'yaml';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { JsonObject } from '@backstage/types';
import { resolve as resolvePath } from 'node:path';
import { version } from '../../package.json';
import {
  GatewayTestBackend,
  startGatewayTestBackend,
  waitForCatalog,
} from '../testUtils';

const SAMPLE_ORG = resolvePath(__dirname, '../../../../examples/catalog.yaml');
const TOKEN = 'catalog-reader-token';
/** Entities of the sample organisation (its Locations among them). */
const SAMPLE_ENTITIES = 68;

function start(catalogEntity: JsonObject, backend?: JsonObject) {
  return startGatewayTestBackend({
    mcpGateway: { catalogEntity },
    externalAccess: [
      { type: 'static', options: { token: TOKEN, subject: 'catalog-reader' } },
    ],
    catalogFiles: [SAMPLE_ORG],
    scaffolder: false,
    backend,
  });
}

async function catalogGet(gateway: GatewayTestBackend, path: string) {
  return fetch(`${gateway.baseUrl}/api/catalog${path}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
}

/** The API entity once the catalog has processed and stitched it. */
async function apiEntity(
  gateway: GatewayTestBackend,
  name: string,
  until: (entity: AlphaEntity) => boolean = () => true,
): Promise<AlphaEntity> {
  const deadline = Date.now() + 30_000;
  let last = 'nothing';
  while (Date.now() < deadline) {
    const response = await catalogGet(
      gateway,
      `/entities/by-name/api/default/${name}`,
    );
    last = `${response.status}`;
    if (response.ok) {
      const entity = (await response.json()) as AlphaEntity;
      // Stitched: relations come from processing, which validated it.
      if (entity.relations?.length && until(entity)) return entity;
      last = JSON.stringify(entity.metadata);
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`api:default/${name} never appeared as expected: ${last}`);
}

/** Every MCP server API entity in the catalog, by ref. */
async function mcpServers(gateway: GatewayTestBackend): Promise<string[]> {
  const response = await catalogGet(
    gateway,
    '/entities/by-query?filter=kind=api,spec.type=mcp-server&fields=metadata.name',
  );
  const { items } = (await response.json()) as { items: AlphaEntity[] };
  return items.map(e => e.metadata.name);
}

/** The definition as Portal reads it (JSON, a subset of YAML 1.2). */
const definitionOf = (entity: AlphaEntity) =>
  parse(entity.spec!.definition as string);

describe("the gateway's own catalog entity", () => {
  describe('with the defaults and an owner', () => {
    let gateway: GatewayTestBackend;

    beforeAll(async () => {
      gateway = await start({ owner: 'group:default/platform' });
      await waitForCatalog(gateway, TOKEN, SAMPLE_ENTITIES);
    }, 90_000);

    afterAll(() => gateway?.backend.stop());

    it('is an MCP server API entity that Portal can list and call', async () => {
      const entity = await apiEntity(gateway, 'mcp-gateway');
      // Without backend.baseUrl the external URL is the local one.
      const url = `${gateway.baseUrl}/api/mcp-gateway`;
      expect(entity).toMatchObject({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        metadata: {
          name: 'mcp-gateway',
          namespace: 'default',
          title: 'MCP Gateway',
          description:
            'Backstage as MCP tools for AI agents, with per-agent identity, policy and audit.',
          annotations: {
            'mcp.spotify.com/schema-version': '2025-09-29',
            'mcp.spotify.com/auth-plugin-id': 'mcp-gateway',
            'backstage.io/managed-by-location':
              'provider:McpGatewayEntityProvider',
            'backstage.io/managed-by-origin-location':
              'provider:McpGatewayEntityProvider',
          },
        },
        spec: {
          type: 'mcp-server',
          lifecycle: 'production',
          owner: 'group:default/platform',
          remotes: [{ type: 'streamable-http', url }],
        },
      });
      expect(entity.spec).not.toHaveProperty('system');
      expect(definitionOf(entity)).toEqual({
        name: 'localhost/mcp-gateway',
        description:
          'Backstage as MCP tools for AI agents, with per-agent identity, policy and audit.',
        version,
        remotes: [{ type: 'streamable-http', url }],
      });
    });

    it('is processed without errors, owned by the group it names', async () => {
      const entity = await apiEntity(gateway, 'mcp-gateway');
      expect(entity.status?.items ?? []).toEqual([]);
      expect(entity.relations).toContainEqual({
        type: 'ownedBy',
        targetRef: 'group:default/platform',
      });
    });

    it('is the only MCP server in the catalog', async () => {
      expect(await mcpServers(gateway)).toEqual(['mcp-gateway']);
    });

    it('follows a reloaded config: changed, then removed', async () => {
      gateway.reloadGatewayConfig({
        catalogEntity: {
          owner: 'group:default/platform',
          title: 'Acme MCP',
        },
      });
      await apiEntity(
        gateway,
        'mcp-gateway',
        entity => entity.metadata.title === 'Acme MCP',
      );
      gateway.reloadGatewayConfig({ catalogEntity: { enabled: false } });
      const deadline = Date.now() + 30_000;
      while ((await mcpServers(gateway)).length && Date.now() < deadline) {
        await new Promise(r => setTimeout(r, 200));
      }
      expect(await mcpServers(gateway)).toEqual([]);
    });
  });

  describe('behind a public URL, with its own name, title and system', () => {
    let gateway: GatewayTestBackend;

    beforeAll(async () => {
      gateway = await start(
        {
          owner: 'group:default/platform',
          name: 'acme-backstage',
          title: 'Acme Backstage tools',
          description: 'Acme tools for agents.',
          lifecycle: 'experimental',
          system: 'developer-platform',
        },
        { baseUrl: 'https://backstage.example.com' },
      );
      await waitForCatalog(gateway, TOKEN, SAMPLE_ENTITIES);
    }, 90_000);

    afterAll(() => gateway?.backend.stop());

    it('points Portal at the public URL, and names itself after its host', async () => {
      const entity = await apiEntity(gateway, 'acme-backstage');
      const remotes = [
        {
          type: 'streamable-http',
          url: 'https://backstage.example.com/api/mcp-gateway',
        },
      ];
      expect(entity).toMatchObject({
        metadata: {
          name: 'acme-backstage',
          title: 'Acme Backstage tools',
          description: 'Acme tools for agents.',
        },
        spec: {
          lifecycle: 'experimental',
          system: 'developer-platform',
          remotes,
        },
      });
      expect(definitionOf(entity)).toEqual({
        name: 'com.example.backstage/acme-backstage',
        description: 'Acme tools for agents.',
        version,
        remotes,
      });
      expect(entity.status?.items ?? []).toEqual([]);
      expect(entity.relations).toContainEqual({
        type: 'partOf',
        targetRef: 'system:default/developer-platform',
      });
      expect(await mcpServers(gateway)).toEqual(['acme-backstage']);
    });
  });

  describe('with enabled: false', () => {
    let gateway: GatewayTestBackend;

    beforeAll(async () => {
      gateway = await start({ enabled: false });
      await waitForCatalog(gateway, TOKEN, SAMPLE_ENTITIES);
    }, 90_000);

    afterAll(() => gateway?.backend.stop());

    it('registers nothing', async () => {
      expect(
        (await catalogGet(gateway, '/entities/by-name/api/default/mcp-gateway'))
          .status,
      ).toBe(404);
      expect(await mcpServers(gateway)).toEqual([]);
    });
  });

  it('stops the backend at start-up without an owner, saying how to fix it', async () => {
    await expect(start({ title: 'No owner' })).rejects.toThrow(
      'mcpGateway.catalogEntity.owner: is required',
    );
  }, 90_000);
});
