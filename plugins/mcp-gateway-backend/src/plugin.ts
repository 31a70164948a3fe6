import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderServiceRef } from '@backstage/plugin-scaffolder-node';
import Router from 'express-promise-router';
import { hostname } from 'node:os';
import { createAdminRouter } from './admin/adminRouter';
import { AuditQuery } from './audit/auditQuery';
import { AuditorSink } from './audit/auditorSink';
import { AuditSinks } from './audit/auditSinks';
import { DatabaseAuditSink } from './audit/databaseAuditSink';
import { GatewayConfig } from './config/gatewayConfig';
import { LiveGatewayConfig } from './config/liveGatewayConfig';
import { ControlGate } from './control/controlGate';
import { ControlState } from './control/controlState';
import { ControlSwitches } from './control/controlSwitches';
import { cutStoppedCalls } from './control/cutStoppedCalls';
import { InFlightCalls } from './control/inFlightCalls';
import { Corridor } from './corridor/corridor';
import { connectGatewayDatabase } from './database/gatewayDatabase';
import { schedulePurges } from './database/scheduledPurge';
import { CallerServicesFactory } from './downstream/callerServices';
import { ALL_PROMPTS } from './prompts/registry';
import { ALL_RESOURCES } from './resources/registry';
import { warnAboutPatternsMatchingNothing } from './corridor/patternWarnings';
import { PluginRequests } from './downstream/pluginRequests';
import { ScaffolderTaskEvents } from './downstream/scaffolderTaskEvents';
import { StartedTasks } from './downstream/startedTasks';
import { AgentDirectory } from './identity/agentDirectory';
import { CallerResolver } from './identity/resolveCaller';
import { rateCountersFor } from './limits/rateCountersFor';
import { RateLimitGate } from './limits/rateLimitGate';
import { AgentDataPolicies } from './policy/agentDataPolicy';
import { registerGatewayPermissions } from './policy/operationResource';
import { OperationPolicyGate } from './policy/operationPolicyGate';
import { PermissionGate } from './policy/permissionGate';
import { TargetPolicyGate } from './policy/targetPolicyGate';
import { locationSafetyOptionsFrom } from './policy/locations/locationSafetyConfig';
import { ANONYMOUS_ENDPOINT_POLICY_PATH } from './protocol/anonymousAccess';
import { ProtectedResource } from './protocol/resourceMetadata';
import { createMcpRouter } from './protocol/mcpRouter';
import { AgentListChanges, announceListChanges } from './protocol/listChanges';
import { OriginPolicy, originSourcesFrom } from './protocol/origins';
import { scheduleActionRefresh } from './tools/actions/actionRefresh';
import { ActionToolSource } from './tools/actions/actionToolSource';
import { ALL_TOOLS, createGatewayToolSource } from './tools/registry';

const DAY_MS = 24 * 60 * 60 * 1000;

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
        database: coreServices.database,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        discovery: coreServices.discovery,
        rootHttpRouter: coreServices.rootHttpRouter,
        rootLifecycle: coreServices.rootLifecycle,
        auth: coreServices.auth,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        scaffolder: scaffolderServiceRef,
        actions: actionsServiceRef,
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
        database,
        scheduler,
        lifecycle,
        discovery,
        rootHttpRouter,
        rootLifecycle,
        auth,
        urlReader,
        catalog,
        scaffolder,
        actions,
      }) {
        // Read per request: a config reload takes effect without a restart.
        const live = LiveGatewayConfig.watch(config, logger);
        const warnAbout = (gateway: GatewayConfig) =>
          warnAboutPatternsMatchingNothing(gateway.policies, logger, {
            actionsEnabled: gateway.actions.enabled,
          });
        warnAbout(live.current());
        live.onChange(warnAbout);
        const knex = await connectGatewayDatabase(database);

        // The kill switch: shared through the database, heard at once.
        const switches = new ControlSwitches(knex);
        const control = new ControlState({
          switches,
          knex,
          killSwitchInConfig: () => live.current().killSwitch,
          logger,
        });
        await control.start();
        const inFlight = new InFlightCalls();
        cutStoppedCalls({ state: control, config: live, calls: inFlight });

        const counters = rateCountersFor(config, knex, logger);
        const durableAudit = new DatabaseAuditSink({
          knex,
          replica: `${hostname()}:${process.pid}`,
        });
        const audit = new AuditSinks([durableAudit, new AuditorSink(auditor)]);
        lifecycle.addShutdownHook(async () => {
          live.stop();
          await control.stop();
          await counters.close?.();
        });
        const retentionDays = () => live.current().audit.retentionDays;
        await schedulePurges({
          scheduler,
          logger,
          purges: [
            {
              what: () =>
                `audit records older than ${retentionDays()} days (mcpGateway.audit.retentionDays)`,
              purge: now =>
                durableAudit.purgeBefore(now - retentionDays() * DAY_MS),
            },
            {
              what: () => 'ended rate-limit windows',
              purge: async now => (await counters.purgeBefore?.(now)) ?? 0,
            },
          ],
        });

        // Other plugins' actions, read in the background, never per call.
        const actionTools = new ActionToolSource({
          actions,
          auth,
          config: () => live.current().actions,
          logger,
        });
        await scheduleActionRefresh({
          source: actionTools,
          scheduler,
          rootLifecycle,
          everySeconds: live.current().actions.refreshSeconds,
          pluginSources:
            config.getOptionalStringArray('backend.actions.pluginSources') ??
            [],
          enabled: live.current().actions.enabled,
          logger,
        });

        const dataPolicies = new AgentDataPolicies();
        // TechDocs, search and scaffolder task events: HTTP on the caller's behalf.
        const plugins = new PluginRequests({ discovery, auth });
        const corridor = new Corridor({
          resolver: new CallerResolver(
            httpAuth,
            live.derive(
              gateway =>
                new AgentDirectory(
                  gateway.agents,
                  userInfo,
                  gateway.defaultAgent,
                ),
            ),
          ),
          // The search tool's description is read once, at start-up.
          // Action tools are all named action_*, which no tool of ours is.
          sources: [
            createGatewayToolSource(live.current().search),
            actionTools,
          ],
          resources: ALL_RESOURCES,
          prompts: ALL_PROMPTS,
          gates: [
            new ControlGate(control),
            new OperationPolicyGate(),
            new TargetPolicyGate(
              live.derive(gateway =>
                locationSafetyOptionsFrom(
                  config,
                  gateway.locationGuard.allowedHosts,
                ),
              ),
            ),
            new PermissionGate(permissions),
            new RateLimitGate(counters, Date.now, logger),
          ],
          dataPolicies,
          services: new CallerServicesFactory({
            catalog,
            scaffolder,
            taskEvents: new ScaffolderTaskEvents(plugins),
            plugins,
            actions,
            startedTasks: new StartedTasks(knex),
            urlReader,
            permissionsEnabled:
              config.getOptionalBoolean('permission.enabled') ?? false,
            dataPolicies,
          }),
          audit,
          auditFailurePolicy: () => live.current().audit.failurePolicy,
          inFlight,
          logger,
        });
        registerGatewayPermissions(permissionsRegistry, ref =>
          corridor.resourceOf(ref),
        );

        // 2026-07-28 clients hear at once when an agent's lists change.
        const lists = new AgentListChanges();
        announceListChanges({ lists, control, config: live });

        // The admin API first: it answers its own 401s and 403s.
        const admin = Router();
        admin.use(
          '/admin',
          createAdminRouter({
            config: live.current,
            httpAuth,
            userInfo,
            permissions,
            stores: {
              switches,
              control,
              audit: new AuditQuery(knex),
            },
            audit,
            logger,
          }),
        );
        httpRouter.use(admin);

        // The MCP endpoint, and only it, answers unauthenticated requests
        // itself, so that MCP clients get a WWW-Authenticate challenge they
        // understand. Not '/': Backstage reads that as every route of the
        // plugin (see ANONYMOUS_ENDPOINT_POLICY_PATH; it fails closed).
        httpRouter.addAuthPolicy({
          path: ANONYMOUS_ENDPOINT_POLICY_PATH,
          allow: 'unauthenticated',
        });
        // RFC 9728: how MCP clients (Claude, VS Code, Cursor) find the
        // authorization server that signs their users in.
        const protectedResource = await ProtectedResource.of(discovery);
        rootHttpRouter.use(protectedResource.path, protectedResource.handler());
        httpRouter.use(
          createMcpRouter({
            corridor,
            lists,
            challenge: invalidToken =>
              protectedResource.challenge(invalidToken),
            logger,
            httpAuth,
            origins: live.derive(
              gateway =>
                new OriginPolicy(
                  originSourcesFrom(config, gateway.allowedOrigins),
                ),
            ),
          }),
        );

        logger.info(
          `MCP gateway serving ${ALL_TOOLS.length} tools to ${
            live.current().agents.length
          } agent(s)`,
        );
      },
    });
  },
});
