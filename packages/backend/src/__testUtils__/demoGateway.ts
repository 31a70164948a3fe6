import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogTemplateKindModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import mcpGatewayPlugin from '@mcp-gateway/plugin-mcp-gateway-backend';
import {
  portalChatPlugin,
  testSignInModule,
} from '@mcp-gateway/plugin-mcp-gateway-backend/testUtils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolve as resolvePath } from 'node:path';
import permissionPolicyModule from '../modules/permissionPolicy';

const repoRoot = resolvePath(__dirname, '../../../..');

export interface DemoGateway {
  baseUrl: string;
  /** The demo agents' static tokens, by subject, as app-config.yaml sets them. */
  tokens: Map<string, string>;
  connect(token: string): Promise<Client>;
  stop(): Promise<void>;
}

/**
 * The shipped demo, in process: app-config.yaml's agents and tokens, the
 * shipped permission policy, the real catalog with the sample organisation,
 * plus real user sign-in and a Portal-style caller for on-behalf-of calls.
 */
export async function startDemoGateway(): Promise<DemoGateway> {
  const { appConfigs } = await loadConfig({
    configRoot: repoRoot,
    configTargets: [{ path: resolvePath(repoRoot, 'app-config.yaml') }],
  });
  const demo = ConfigReader.fromConfigs(appConfigs);
  const externalAccess = demo.getConfigArray('backend.auth.externalAccess');
  const tokens = new Map(
    externalAccess.map(e => [
      e.getString('options.subject'),
      e.getString('options.token'),
    ]),
  );

  const backend = await startTestBackend({
    features: [
      catalogPlugin,
      catalogTemplateKindModule,
      authPlugin,
      testSignInModule,
      permissionPlugin,
      permissionPolicyModule,
      portalChatPlugin,
      mcpGatewayPlugin,
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      userInfoServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            auth: { externalAccess: demo.get('backend.auth.externalAccess') },
          },
          auth: { providers: { test: {} } },
          permission: { enabled: true },
          catalog: {
            rules: demo.get('catalog.rules'),
            locations: [
              {
                type: 'file',
                target: resolvePath(repoRoot, 'examples/catalog.yaml'),
              },
            ],
            stitchingStrategy: { pollingInterval: { milliseconds: 100 } },
          },
          mcpGateway: demo.get('mcpGateway'),
        },
      }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}`;
  const clients: Client[] = [];
  return {
    baseUrl,
    tokens,
    async connect(token) {
      const client = new Client({ name: 'demo-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(
          new URL(`${baseUrl}/api/mcp-gateway`),
          {
            requestInit: { headers: { Authorization: `Bearer ${token}` } },
          },
        ),
      );
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map(c => c.close()));
      await backend.stop();
    },
  };
}

/** Waits until the sample organisation is in the catalog, relations stitched. */
export async function waitForSampleOrg(client: Client) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const result: any = await client.callTool({
      name: 'get_entity',
      arguments: { ref: 'risk-scoring' },
    });
    const relations = result.structuredContent?.entity?.relations ?? [];
    const users: any = await client.callTool({
      name: 'list_entities',
      arguments: { kind: 'User', limit: 1 },
    });
    if (relations.length >= 3 && users.structuredContent?.totalItems === 15)
      return;
    await new Promise(r => setTimeout(r, 300));
  }
  throw new Error('The sample organisation did not load in time');
}
