import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
  SubPageBlueprint,
} from '@backstage/frontend-plugin-api';
import { mcpGatewayAdminApiRef } from './api/McpGatewayAdminApi';
import { McpGatewayAdminClient } from './api/McpGatewayAdminClient';
import { McpGatewayIcon } from './components/McpGatewayIcon';
import {
  agentRouteRef,
  agentsRouteRef,
  auditRouteRef,
  rootRouteRef,
} from './routes';

/** The admin API client, over Backstage's discovery and (token-adding) fetch. */
const adminApi = ApiBlueprint.make({
  name: 'admin',
  params: defineParams =>
    defineParams({
      api: mcpGatewayAdminApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new McpGatewayAdminClient({ discoveryApi, fetchApi }),
    }),
});

/** `/mcp-gateway`, with a nav item; its tabs are the sub-pages below (the first opens by default). */
const page = PageBlueprint.make({
  params: {
    path: '/mcp-gateway',
    title: 'MCP Gateway',
    icon: <McpGatewayIcon />,
    routeRef: rootRouteRef,
  },
});

const agentsTab = SubPageBlueprint.make({
  name: 'agents',
  params: {
    path: 'agents',
    title: 'Agents',
    routeRef: agentsRouteRef,
    loader: () => import('./components/AgentsTab').then(m => <m.AgentsTab />),
  },
});

const auditTab = SubPageBlueprint.make({
  name: 'audit',
  params: {
    path: 'audit',
    title: 'Audit',
    routeRef: auditRouteRef,
    loader: () =>
      import('./components/AuditPage/AuditPage').then(m => <m.AuditPage />),
  },
});

/**
 * The MCP gateway's admin page: every agent with its state, policy and
 * activity, the per-agent and gateway-wide kill switches, and the audit
 * trail. For admins only (`mcp-gateway.admin`).
 */
export const mcpGatewayPlugin = createFrontendPlugin({
  pluginId: 'mcp-gateway',
  title: 'MCP Gateway',
  icon: <McpGatewayIcon />,
  routes: {
    root: rootRouteRef,
    agents: agentsRouteRef,
    agent: agentRouteRef,
    audit: auditRouteRef,
  },
  extensions: [adminApi, page, agentsTab, auditTab],
});
