import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { loadConfig } from '@backstage/config-loader';
import {
  portalChatPlugin,
  startGatewayTestBackend,
} from '@mcp-gateway/plugin-mcp-gateway-backend/testUtils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolve as resolvePath } from 'node:path';
import demoDraftsPlugin from '../modules/demoDrafts';
import permissionPolicyModule from '../modules/permissionPolicy';

const repoRoot = resolvePath(__dirname, '../../../..');

export interface DemoGateway {
  baseUrl: string;
  /** The demo agents' static tokens, by subject, as app-config.yaml sets them. */
  tokens: Map<string, string>;
  /** Where the demo's drafts are served, e.g. `${draftsUrl}/fraud-signals.yaml`. */
  draftsUrl: string;
  connect(token: string): Promise<Client>;
  /** Indexes the catalog and the sample TechDocs for search now. */
  indexSearch(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The shipped demo, in process: app-config.yaml's agents and tokens, the
 * shipped permission policy, the real catalog with the sample organisation,
 * the real techdocs and search backends with the sample docs,
 * plus real user sign-in and a Portal-style caller for on-behalf-of calls.
 */
export async function startDemoGateway(): Promise<DemoGateway> {
  // The demo's drafts (register_location), from the real plugin on a
  // backend of their own: app-config.yaml's addresses for them follow
  // APP_CONFIG_backend_listen_port, and this port is known before the
  // config is read, the gateway's random one only after.
  const drafts = await startTestBackend({
    features: [
      demoDraftsPlugin,
      mockServices.rootConfig.factory({
        data: {
          demoDrafts: { directory: resolvePath(repoRoot, 'examples/drafts') },
        },
      }),
    ],
  });
  const draftsPort = String(drafts.server.port());
  const { appConfigs } = await loadConfig({
    configRoot: repoRoot,
    configTargets: [{ path: resolvePath(repoRoot, 'app-config.yaml') }],
    experimentalEnvFunc: async name =>
      name === 'APP_CONFIG_backend_listen_port'
        ? draftsPort
        : process.env[name],
  });
  const demo = ConfigReader.fromConfigs(appConfigs);
  const externalAccess = demo.getConfigArray('backend.auth.externalAccess');
  const tokens = new Map(
    externalAccess.map(e => [
      e.getString('options.subject'),
      e.getString('options.token'),
    ]),
  );

  const { backend, baseUrl, url, indexSearch } = await startGatewayTestBackend({
    features: [portalChatPlugin],
    users: true,
    permissionPolicy: permissionPolicyModule,
    externalAccess: demo.get('backend.auth.externalAccess'),
    catalogRules: demo.get('catalog.rules'),
    catalogFiles: [resolvePath(repoRoot, 'examples/catalog.yaml')],
    mcpGateway: demo.get('mcpGateway'),
    // What the catalog may fetch: the drafts.
    backend: { reading: demo.get('backend.reading') },
    // The demo's pre-built sites, served and indexed for real.
    techdocs: {
      publishDirectory: resolvePath(repoRoot, 'examples/techdocs'),
    },
  });
  const clients: Client[] = [];
  return {
    baseUrl,
    tokens,
    draftsUrl: `http://localhost:${draftsPort}/api/demo-drafts`,
    indexSearch,
    async connect(token) {
      const client = new Client({ name: 'demo-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map(c => c.close()));
      await backend.stop();
      await drafts.stop();
    },
  };
}
