/**
 * MCP Gateway for Backstage: serves Backstage as MCP tools at
 * /api/mcp-gateway, with per-agent identity, policy and audit.
 *
 * @packageDocumentation
 */
export { mcpGatewayPlugin as default } from './plugin';
export {
  adminPermission,
  toolInvokePermission,
  TOOL_RESOURCE_TYPE,
} from './policy/permissions';
export {
  createMcpGatewayToolConditionalDecision,
  mcpGatewayToolConditions,
  type ToolResource,
} from './policy/toolResource';
