import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import {
  adminPermission,
  TOOL_RESOURCE_TYPE,
  toolInvokePermission,
} from './permissions';

/** One agent calling one tool: what an adopter's policy decides about. */
export interface ToolResource {
  agentId: string;
  tool: string;
  access: 'read' | 'write';
}

/** Resource refs look like `incident-copilot:get_entity`. */
export const toolResourceRefFor = (agentId: string, tool: string) =>
  `${agentId}:${tool}`;

export function parseToolResourceRef(
  ref: string,
): { agentId: string; tool: string } | undefined {
  const [agentId, tool, ...rest] = ref.split(':');
  return agentId && tool && rest.length === 0 ? { agentId, tool } : undefined;
}

export const toolResourceRef = createPermissionResourceRef<
  ToolResource,
  ToolQuery
>().with({ pluginId: 'mcp-gateway', resourceType: TOOL_RESOURCE_TYPE });

/** Tools are not stored, so conditions are only ever applied, never queried. */
type ToolQuery = (resource: ToolResource) => boolean;

const isTool = createPermissionRule({
  name: 'IS_TOOL',
  description: 'Allow only the named tools',
  resourceRef: toolResourceRef,
  paramsSchema: z.object({
    names: z.array(z.string()).describe('Tool names, e.g. get_entity'),
  }),
  apply: (resource, { names }) => names.includes(resource.tool),
  toQuery:
    ({ names }) =>
    resource =>
      names.includes(resource.tool),
});

const hasAccess = createPermissionRule({
  name: 'HAS_ACCESS',
  description: 'Allow only read-only tools, or only write tools',
  resourceRef: toolResourceRef,
  paramsSchema: z.object({
    access: z.enum(['read', 'write']).describe('read or write'),
  }),
  apply: (resource, { access }) => resource.access === access,
  toQuery:
    ({ access }) =>
    resource =>
      resource.access === access,
});

const isAgent = createPermissionRule({
  name: 'IS_AGENT',
  description: 'Allow only calls made as the named gateway agents',
  resourceRef: toolResourceRef,
  paramsSchema: z.object({
    agentIds: z.array(z.string()).describe('Agent ids from mcpGateway.agents'),
  }),
  apply: (resource, { agentIds }) => agentIds.includes(resource.agentId),
  toQuery:
    ({ agentIds }) =>
    resource =>
      agentIds.includes(resource.agentId),
});

export const toolPermissionRules = { isTool, hasAccess, isAgent };

/** For adopters' permission policies: conditions on tool calls. */
export const {
  conditions: mcpGatewayToolConditions,
  createConditionalDecision: createMcpGatewayToolConditionalDecision,
} = createConditionExports({
  resourceRef: toolResourceRef,
  rules: toolPermissionRules,
});

/** Registers the gateway's permissions, and how to load a tool resource. */
export function registerGatewayPermissions(
  registry: PermissionsRegistryService,
  resourceOf: (ref: string) => ToolResource | undefined,
) {
  registry.addPermissions([adminPermission]);
  registry.addResourceType({
    resourceRef: toolResourceRef,
    permissions: [toolInvokePermission],
    rules: Object.values(toolPermissionRules),
    getResources: async refs => refs.map(resourceOf),
  });
}
