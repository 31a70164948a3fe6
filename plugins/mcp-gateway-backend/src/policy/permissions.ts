import { createPermission } from '@backstage/plugin-permission-common';
import { OperationKind } from '../core/operation';

/** The resource type of gateway operations, as seen by the permission framework. */
export const OPERATION_RESOURCE_TYPE = 'mcp-gateway-operation';

/**
 * Authorized for every tool call (and for every tool tools/list shows),
 * with the caller's credentials, after the agent's own policy allowed it.
 * The resource ref is `<agent id>:tool:<tool name>`.
 */
export const toolInvokePermission = createPermission({
  name: 'mcp-gateway.tool.invoke',
  attributes: {},
  resourceType: OPERATION_RESOURCE_TYPE,
});

/** The same, for reading an MCP resource (`<agent id>:resource:<uri>`). */
export const resourceReadPermission = createPermission({
  name: 'mcp-gateway.resource.read',
  attributes: { action: 'read' },
  resourceType: OPERATION_RESOURCE_TYPE,
});

/** The same, for getting an MCP prompt (`<agent id>:prompt:<name>`). */
export const promptGetPermission = createPermission({
  name: 'mcp-gateway.prompt.get',
  attributes: { action: 'read' },
  resourceType: OPERATION_RESOURCE_TYPE,
});

/** Which permission an operation of each kind needs. */
export const operationPermissions = {
  tool: toolInvokePermission,
  resource: resourceReadPermission,
  prompt: promptGetPermission,
} satisfies Record<OperationKind, unknown>;

/** For administering the gateway (agents, kill switch, audit). */
export const adminPermission = createPermission({
  name: 'mcp-gateway.admin',
  attributes: {},
});
