import { createPermission } from '@backstage/plugin-permission-common';

/** The resource type of gateway tools, as seen by the permission framework. */
export const TOOL_RESOURCE_TYPE = 'mcp-gateway-tool';

/**
 * Authorized for every tool call (and for every tool tools/list shows),
 * with the caller's credentials, after the agent's own policy allowed it.
 * The resource ref is `<agent id>:<tool name>`.
 */
export const toolInvokePermission = createPermission({
  name: 'mcp-gateway.tool.invoke',
  attributes: {},
  resourceType: TOOL_RESOURCE_TYPE,
});

/** For administering the gateway (agents, kill switch, audit). */
export const adminPermission = createPermission({
  name: 'mcp-gateway.admin',
  attributes: {},
});
