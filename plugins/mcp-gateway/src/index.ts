/**
 * The MCP gateway's admin page for Backstage's new frontend system.
 *
 * @packageDocumentation
 */
export { mcpGatewayPlugin as default } from './plugin';
export {
  mcpGatewayAdminApiRef,
  type McpGatewayAdminApi,
  type AuditPageQuery,
  type AdminRequestOptions,
} from './api/McpGatewayAdminApi';
export { McpGatewayAdminClient } from './api/McpGatewayAdminClient';
export { AdminApiError, isNotAdminError } from './api/AdminApiError';
