import { PermissionsRegistryService } from '@backstage/backend-plugin-api';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';
import { Operation, OperationAccess, OperationKind } from '../core/operation';
import {
  adminPermission,
  OPERATION_RESOURCE_TYPE,
  operationPermissions,
} from './permissions';

/** One agent using one operation: what an adopter's policy decides about. */
export interface OperationResource {
  agentId: string;
  kind: OperationKind;
  /** The tool name, resource URI or prompt name. */
  name: string;
  access: OperationAccess;
  /** Which source provides it: `gateway`, or another plugin's id. */
  source: string;
}

const KINDS: readonly OperationKind[] = ['tool', 'resource', 'prompt'];

/** Resource refs look like `incident-copilot:tool:get_entity`. */
export const operationResourceRefFor = (
  agentId: string,
  operation: Operation,
) => `${agentId}:${operation.kind}:${operation.name}`;

export function parseOperationResourceRef(
  ref: string,
): { agentId: string; kind: OperationKind; name: string } | undefined {
  // Agent ids and kinds hold no ':'; a resource URI after them may.
  const match = /^([^:]+):([^:]+):(.+)$/.exec(ref);
  const kind = match?.[2] as OperationKind | undefined;
  return match && kind && KINDS.includes(kind)
    ? { agentId: match[1], kind, name: match[3] }
    : undefined;
}

export const operationResourceRef = createPermissionResourceRef<
  OperationResource,
  OperationQuery
>().with({ pluginId: 'mcp-gateway', resourceType: OPERATION_RESOURCE_TYPE });

/** Operations are not stored, so conditions are only ever applied, never queried. */
type OperationQuery = (resource: OperationResource) => boolean;

const isTool = createPermissionRule({
  name: 'IS_TOOL',
  description: 'Allow only the named tools',
  resourceRef: operationResourceRef,
  paramsSchema: z.object({
    names: z.array(z.string()).describe('Tool names, e.g. get_entity'),
  }),
  apply: (resource, { names }) =>
    resource.kind === 'tool' && names.includes(resource.name),
  toQuery:
    ({ names }) =>
    resource =>
      resource.kind === 'tool' && names.includes(resource.name),
});

const hasAccess = createPermissionRule({
  name: 'HAS_ACCESS',
  description:
    'Allow only read operations, only writes (destructive ones included), or only destructive ones',
  resourceRef: operationResourceRef,
  paramsSchema: z.object({
    access: z
      .enum(['read', 'write', 'destructive'])
      .describe('read, write (includes destructive) or destructive'),
  }),
  apply: (resource, { access }) => accessMatches(resource.access, access),
  toQuery:
    ({ access }) =>
    resource =>
      accessMatches(resource.access, access),
});

const isAgent = createPermissionRule({
  name: 'IS_AGENT',
  description: 'Allow only calls made as the named gateway agents',
  resourceRef: operationResourceRef,
  paramsSchema: z.object({
    agentIds: z.array(z.string()).describe('Agent ids from mcpGateway.agents'),
  }),
  apply: (resource, { agentIds }) => agentIds.includes(resource.agentId),
  toQuery:
    ({ agentIds }) =>
    resource =>
      agentIds.includes(resource.agentId),
});

const isFromSource = createPermissionRule({
  name: 'IS_FROM_SOURCE',
  description:
    "Allow only operations from the named sources: 'gateway' for the gateway's own tools, or a plugin id",
  resourceRef: operationResourceRef,
  paramsSchema: z.object({
    sources: z.array(z.string()).describe("e.g. ['gateway']"),
  }),
  apply: (resource, { sources }) => sources.includes(resource.source),
  toQuery:
    ({ sources }) =>
    resource =>
      sources.includes(resource.source),
});

function accessMatches(
  actual: OperationAccess,
  wanted: OperationAccess,
): boolean {
  if (wanted === 'write') return actual !== 'read';
  return actual === wanted;
}

export const operationPermissionRules = {
  isTool,
  hasAccess,
  isAgent,
  isFromSource,
};

/** For adopters' permission policies: conditions on gateway operations. */
export const {
  conditions: mcpGatewayOperationConditions,
  createConditionalDecision: createMcpGatewayOperationConditionalDecision,
} = createConditionExports({
  resourceRef: operationResourceRef,
  rules: operationPermissionRules,
});

/**
 * Registers the gateway's permissions, and how to load an operation
 * resource from its ref (for conditional decisions made elsewhere).
 */
export function registerGatewayPermissions(
  registry: PermissionsRegistryService,
  resourceOf: (ref: string) => Promise<OperationResource | undefined>,
) {
  registry.addPermissions([adminPermission]);
  registry.addResourceType({
    resourceRef: operationResourceRef,
    permissions: Object.values(operationPermissions),
    rules: Object.values(operationPermissionRules),
    getResources: refs => Promise.all(refs.map(resourceOf)),
  });
}
