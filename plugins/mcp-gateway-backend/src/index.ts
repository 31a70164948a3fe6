/**
 * MCP Gateway for Backstage: serves Backstage as MCP tools at
 * /api/mcp-gateway, with per-agent identity, policy and audit.
 *
 * @packageDocumentation
 */
import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { mcpGatewayCatalogEntityModule } from './catalogEntity/catalogEntityModule';
import { mcpGatewayPlugin } from './plugin';

/**
 * The gateway and its catalog module (the gateway's own MCP server entity,
 * `mcpGateway.catalogEntity`), installed together by
 * `backend.add(import('@mcp-gateway/plugin-mcp-gateway-backend'))`.
 */
export default createBackendFeatureLoader({
  *loader() {
    yield mcpGatewayPlugin;
    yield mcpGatewayCatalogEntityModule;
  },
});
/** For backends that install the plugin and the catalog module one by one. */
export { mcpGatewayPlugin, mcpGatewayCatalogEntityModule };
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
