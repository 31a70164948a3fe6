import { createPermission } from '@backstage/plugin-permission-common';

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

/**
 * For administering the gateway (agents, kill switch, audit): the backend
 * checks it on every admin request, the admin page to decide what to show.
 */
export const adminPermission = createPermission({
  name: 'mcp-gateway.admin',
  attributes: {},
});

/** Every permission of the gateway. */
export const mcpGatewayPermissions = [
  toolInvokePermission,
  resourceReadPermission,
  promptGetPermission,
  adminPermission,
];
