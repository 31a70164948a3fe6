/**
 * MCP Gateway for Backstage: serves Backstage as MCP tools at
 * /api/mcp-gateway, with per-agent identity, policy and audit.
 *
 * @packageDocumentation
 */
export { mcpGatewayPlugin as default } from './plugin';
export type {
  Operation,
  OperationAccess,
  OperationKind,
} from './core/operation';
export {
  adminPermission,
  OPERATION_RESOURCE_TYPE,
  promptGetPermission,
  resourceReadPermission,
  toolInvokePermission,
} from './policy/permissions';
export {
  createMcpGatewayOperationConditionalDecision,
  mcpGatewayOperationConditions,
  type OperationResource,
} from './policy/operationResource';
