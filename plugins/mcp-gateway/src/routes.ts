import {
  createRouteRef,
  createSubRouteRef,
} from '@backstage/frontend-plugin-api';

/** The plugin's page (`/mcp-gateway`); its tabs are the sub-pages below. */
export const rootRouteRef = createRouteRef();

/** The Agents tab: every agent and the gateway's kill switch. */
export const agentsRouteRef = createRouteRef();

/** One agent, under the Agents tab (`/mcp-gateway/agents/:id`). */
export const agentRouteRef = createSubRouteRef({
  parent: agentsRouteRef,
  path: '/:id',
});

/** The Audit tab; its filters travel in the query string. */
export const auditRouteRef = createRouteRef();
