import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { AuditorSink } from './audit/auditorSink';
import { readGatewayConfig } from './config/gatewayConfig';
import { warnAboutUnenforcedSettings } from './config/unenforcedSettings';
import { AgentEnabledGate } from './control/agentEnabledGate';
import { Corridor } from './corridor/corridor';
import { CallerServicesFactory } from './downstream/callerServices';
import { AgentDirectory } from './identity/agentDirectory';
import { CallerResolver } from './identity/resolveCaller';
import { AgentDataPolicies } from './policy/agentDataPolicy';
import { registerGatewayPermissions } from './policy/operationResource';
import { OperationPolicyGate } from './policy/operationPolicyGate';
import { PermissionGate } from './policy/permissionGate';
import { ANONYMOUS_ENDPOINT_POLICY_PATH } from './protocol/anonymousAccess';
import { createMcpRouter } from './protocol/mcpRouter';
import { originSourcesFrom } from './protocol/origins';
import { ALL_TOOLS, createGatewayToolSource } from './tools/registry';

/**
 * The MCP gateway: Backstage as MCP tools at /api/mcp-gateway, for agents
 * with an identity and a policy. This file only wires.
 */
export const mcpGatewayPlugin = createBackendPlugin({
  pluginId: 'mcp-gateway',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        userInfo: coreServices.userInfo,
        auditor: coreServices.auditor,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpAuth,
        httpRouter,
        userInfo,
        auditor,
        permissions,
        permissionsRegistry,
        catalog,
      }) {
        const gateway = readGatewayConfig(config);
        warnAboutUnenforcedSettings(gateway, logger);
        const dataPolicies = new AgentDataPolicies(gateway.policies);
        const corridor = new Corridor({
          resolver: new CallerResolver(
            httpAuth,
            new AgentDirectory(gateway.agents, userInfo, gateway.defaultAgent),
          ),
          sources: [createGatewayToolSource(gateway.policies, logger)],
          gates: [
            new AgentEnabledGate(),
            new OperationPolicyGate(),
            new PermissionGate(permissions),
          ],
          dataPolicies,
          services: new CallerServicesFactory({
            catalog,
            permissionsEnabled:
              config.getOptionalBoolean('permission.enabled') ?? false,
            dataPolicies,
          }),
          audit: new AuditorSink(auditor),
          logger,
        });
        registerGatewayPermissions(permissionsRegistry, ref =>
          corridor.resourceOf(ref),
        );

        // The MCP endpoint, and only it, answers unauthenticated requests
        // itself, so that MCP clients get a WWW-Authenticate challenge they
        // understand. Not '/': Backstage reads that as every route of the
        // plugin (see ANONYMOUS_ENDPOINT_POLICY_PATH; it fails closed).
        httpRouter.addAuthPolicy({
          path: ANONYMOUS_ENDPOINT_POLICY_PATH,
          allow: 'unauthenticated',
        });
        httpRouter.use(
          createMcpRouter({
            corridor,
            logger,
            httpAuth,
            origins: originSourcesFrom(config, gateway.allowedOrigins),
          }),
        );

        logger.info(
          `MCP gateway serving ${ALL_TOOLS.length} tools to ${gateway.agents.length} agent(s)`,
        );
      },
    });
  },
});
