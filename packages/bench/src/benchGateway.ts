import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  GatewayTestBackendOptions,
  startGatewayTestBackend,
  waitForCatalog,
} from '@mcp-gateway/plugin-mcp-gateway-backend/testUtils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const AGENT = 'bench-agent';
const ADMIN = 'bench-admin';
/** Entities in examples/: the catalog has ingested them all at this count. */
const SAMPLE_ENTITIES = 68;

const tokenFor = (subject: string) => `bench-token-${subject}`;

export interface BenchGateway {
  /** Calls a tool as the bench agent; throws unless it answered ok. */
  call(tool: string, args: Record<string, unknown>): Promise<void>;
  /** The bench agent's rows in the durable audit store, as the admin API counts them. */
  durableRows(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * A real Backstage backend with the gateway (real catalog loading the
 * sample organisation, real token verification) on the given `backend`
 * config, and one MCP SDK client connected as the bench agent, which may
 * call every tool.
 */
export async function startBenchGateway(
  backend: GatewayTestBackendOptions['backend'],
): Promise<BenchGateway> {
  const gateway = await startGatewayTestBackend({
    backend,
    externalAccess: [AGENT, ADMIN].map(subject => ({
      type: 'static',
      options: { token: tokenFor(subject), subject },
    })),
    catalogFiles: [resolvePackagePath('bench', '../../examples/catalog.yaml')],
    mcpGateway: {
      agents: [
        {
          id: AGENT,
          principals: [{ service: AGENT }],
          tools: { allow: ['*'] },
        },
      ],
      admins: [{ service: ADMIN }],
    },
  });
  const client = new Client({ name: 'bench', version: '1.0.0' });
  try {
    await waitForCatalog(gateway, tokenFor(ADMIN), SAMPLE_ENTITIES);
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gateway.url), {
        requestInit: {
          headers: { Authorization: `Bearer ${tokenFor(AGENT)}` },
        },
        // The SDK hands one AbortSignal to every request, and Node's fetch
        // keeps a listener on it per request until garbage collection:
        // thousands pile up over a run (a warning flood, and client work
        // that grows as the run goes on). Nothing here is ever aborted.
        fetch: (url, init) => fetch(url, { ...init, signal: undefined }),
      }),
    );
  } catch (error) {
    await gateway.backend.stop();
    throw error;
  }

  return {
    async call(tool, args) {
      const result = await client.callTool({ name: tool, arguments: args });
      if (result.isError) {
        throw new Error(`${tool} answered an error: ${JSON.stringify(result)}`);
      }
    },
    async durableRows() {
      const response = await fetch(
        `${gateway.baseUrl}/api/mcp-gateway/admin/agents`,
        {
          headers: { Authorization: `Bearer ${tokenFor(ADMIN)}` },
        },
      );
      if (!response.ok) {
        throw new Error(
          `GET admin/agents answered ${response.status}: ${await response.text()}`,
        );
      }
      const { agents } = (await response.json()) as {
        agents: Array<{ id: string; lastDay: { calls: number } }>;
      };
      return agents.find(agent => agent.id === AGENT)!.lastDay.calls;
    },
    async stop() {
      await client.close();
      await gateway.backend.stop();
    },
  };
}
