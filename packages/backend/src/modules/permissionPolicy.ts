import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  adminPermission,
  createMcpGatewayOperationConditionalDecision,
  mcpGatewayOperationConditions,
  toolInvokePermission,
} from '@mcp-gateway/plugin-mcp-gateway-backend';

const PLATFORM = 'group:default/platform';
const PRIVATE_NAMESPACE = 'finance';

/**
 * The sample organisation's permission policy, the layer under every
 * agent's app-config policy:
 * - entities in the `finance` namespace are visible only to their owners;
 * - through the MCP gateway, write tools are for members of the platform
 *   group only, and so is administering the gateway;
 * - everything else is allowed.
 * Service principals (agents with external access tokens) never reach a
 * policy: Backstage limits them with `accessRestrictions` instead.
 */
export class AcmePermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const isPlatform = claims.includes(PLATFORM);

    if (isPermission(request.permission, catalogEntityReadPermission)) {
      return createCatalogConditionalDecision(request.permission, {
        anyOf: [
          {
            not: catalogConditions.hasMetadata({
              key: 'namespace',
              value: PRIVATE_NAMESPACE,
            }),
          },
          catalogConditions.isEntityOwner({ claims }),
        ],
      });
    }
    if (isPermission(request.permission, toolInvokePermission) && !isPlatform) {
      return createMcpGatewayOperationConditionalDecision(request.permission, {
        not: mcpGatewayOperationConditions.hasAccess({ access: 'write' }),
      });
    }
    if (isPermission(request.permission, adminPermission)) {
      return {
        result: isPlatform ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      };
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'acme-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new AcmePermissionPolicy());
      },
    });
  },
});
