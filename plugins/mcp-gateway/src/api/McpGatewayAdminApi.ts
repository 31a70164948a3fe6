import { createApiRef } from '@backstage/frontend-plugin-api';
import {
  ActivityWindow,
  AgentDetail,
  AgentsOverview,
  AgentStateChange,
  AuditFilterQuery,
  AuditPage,
  KillSwitchView,
} from '@mcp-gateway/plugin-mcp-gateway-common';

/** A page of `GET audit`: the filters, plus where to start and how many. */
export interface AuditPageQuery extends AuditFilterQuery {
  /** 1..500; the server's default is 50. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** Lets a caller give up on a read it no longer needs (a page left, a newer poll). */
export interface AdminRequestOptions {
  signal?: AbortSignal;
}

/**
 * The MCP gateway's admin API (`/api/mcp-gateway/admin`), as the admin page
 * uses it. Every method rejects with an {@link AdminApiError} carrying the
 * server's message, status and code when the gateway says no.
 */
export interface McpGatewayAdminApi {
  /** Every agent with its state and recent counts, and the kill switch. */
  listAgents(options?: AdminRequestOptions): Promise<AgentsOverview>;

  /** One agent, with its activity and refusals over the window. */
  getAgent(
    id: string,
    query?: { window?: ActivityWindow },
    options?: AdminRequestOptions,
  ): Promise<AgentDetail>;

  /** Stops one agent on every replica; the reason is required (1..500 characters). */
  disableAgent(id: string, reason: string): Promise<AgentStateChange>;

  /** Lets a disabled agent in again; fails with 409 when app-config disabled it. */
  enableAgent(id: string, reason?: string): Promise<AgentStateChange>;

  getKillSwitch(options?: AdminRequestOptions): Promise<KillSwitchView>;

  /** Engages (reason required) or releases the gateway's kill switch. */
  setKillSwitch(request: {
    engaged: boolean;
    reason?: string;
  }): Promise<KillSwitchView>;

  /** A page of audit records, newest first. */
  queryAudit(
    query: AuditPageQuery,
    options?: AdminRequestOptions,
  ): Promise<AuditPage>;

  /** Every record matching the filters, as NDJSON (one record a line). */
  exportAudit(
    filter: AuditFilterQuery,
    options?: AdminRequestOptions,
  ): Promise<Blob>;
}

/** The admin API's reference; the plugin provides {@link McpGatewayAdminClient} for it. */
export const mcpGatewayAdminApiRef = createApiRef<McpGatewayAdminApi>().with({
  id: 'plugin.mcp-gateway.admin',
  pluginId: 'mcp-gateway',
});
