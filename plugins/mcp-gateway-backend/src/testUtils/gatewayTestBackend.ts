import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { ConfigReader } from '@backstage/config';
import { JsonObject, JsonValue } from '@backstage/types';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  mockServices,
  startTestBackend,
  TestBackend,
} from '@backstage/backend-test-utils';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogTemplateKindModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import searchPlugin from '@backstage/plugin-search-backend';
import searchCatalogModule from '@backstage/plugin-search-backend-module-catalog';
import searchTechDocsModule from '@backstage/plugin-search-backend-module-techdocs';
import techdocsPlugin from '@backstage/plugin-techdocs-backend';
import mcpGatewayFeatures from '../index';
import { testSignInModule } from './testSignIn';

/** Every kind of the sample organisation: by default the catalog allows few. */
const ALL_KINDS = [
  'Component',
  'System',
  'API',
  'Resource',
  'Location',
  'Domain',
  'Group',
  'User',
  'Template',
];

export interface GatewayTestBackendOptions {
  /**
   * `mcpGateway`: the agents and any other gateway keys. Without a
   * `catalogEntity` key the gateway's own catalog entity is off
   * (`catalogEntity: { enabled: false }`); set one to test it.
   */
  mcpGateway: JsonValue;
  /** `backend.auth.externalAccess`: how service agents authenticate. */
  externalAccess: JsonValue;
  /** Catalog files to load (absolute paths). */
  catalogFiles: string[];
  /** `catalog.rules`; by default every kind of the sample organisation. */
  catalogRules?: JsonValue;
  /** Real user sign-in: the auth backend with the test provider (see `signInAs`). */
  users?: boolean;
  /**
   * Turns the permission framework on, with this policy, or with a module
   * that sets one (as an adopter's backend does).
   */
  permissionPolicy?: PermissionPolicy | BackendFeature;
  /**
   * The real scaffolder, running templates of the loaded catalog (default
   * true); false for a backend that adds its own.
   */
  scaffolder?: boolean;
  /**
   * TechDocs and search: the real techdocs backend serving the pre-built
   * sites in this folder (external builder, local publisher), and the real
   * search backend with the catalog and TechDocs collators. Call
   * `indexSearch` once the catalog is loaded.
   */
  techdocs?: { publishDirectory: string };
  /**
   * More `backend` keys, e.g. `cors` or `baseUrl`. A `baseUrl` is the
   * public URL: discovery's external URLs are under it, as a deployed
   * backend's are (the test backend's own discovery ignores it), while
   * internal URLs stay on the test port.
   */
  backend?: JsonObject;
  /** More plugins, modules or service factories. */
  features?: BackendFeature[];
}

export interface GatewayTestBackend {
  backend: TestBackend;
  /** `http://localhost:<port>`. */
  baseUrl: string;
  /** The MCP endpoint. */
  url: string;
  /**
   * Replaces `mcpGateway` as a reloaded config source would (Backstage
   * watches app-config files): the gateway hears it without a restart.
   */
  reloadGatewayConfig(mcpGateway: JsonValue): void;
  /**
   * Runs the search collators now and waits until their documents are
   * indexed (with `techdocs` only).
   */
  indexSearch(): Promise<void>;
}

/**
 * A real Backstage backend with the gateway on a random port, installed
 * as adopters install it (the plugin and its catalog module): the real
 * catalog (with the Template kind) loading `catalogFiles`, the real
 * scaffolder, real token verification, permissions and user info (not
 * mocks), and optionally real user sign-in and the permission framework
 * with a policy.
 */
export async function startGatewayTestBackend(
  options: GatewayTestBackendOptions,
): Promise<GatewayTestBackend> {
  const features: BackendFeature[] = [...(options.features ?? [])];
  // The test server's port, once it listens (see publicDiscovery).
  const listening: { port?: number } = {};
  const publicBaseUrl = options.backend?.baseUrl;
  if (typeof publicBaseUrl === 'string') {
    features.push(publicDiscovery(publicBaseUrl, () => listening.port));
  }
  if (options.users) {
    features.push(authPlugin, testSignInModule);
  }
  if (options.permissionPolicy) {
    features.push(permissionPlugin, policyModule(options.permissionPolicy));
  }
  if (options.scaffolder ?? true) {
    features.push(scaffolderPlugin);
  }
  // The search plugin's scheduler (the test backend's mock, which runs
  // no task with an initial delay, the collators among them, until told).
  let searchScheduler: SchedulerService | undefined;
  if (options.techdocs) {
    features.push(
      techdocsPlugin,
      searchPlugin,
      searchCatalogModule,
      searchTechDocsModule,
      createBackendModule({
        pluginId: 'search',
        moduleId: 'test-indexing',
        register(reg) {
          reg.registerInit({
            deps: { scheduler: coreServices.scheduler },
            async init({ scheduler }) {
              searchScheduler = scheduler;
            },
          });
        },
      }),
    );
  }
  const data: JsonObject = {
    backend: {
      ...options.backend,
      auth: { externalAccess: options.externalAccess },
    },
    app: { baseUrl: 'http://localhost:3000' },
    auth: { providers: { test: {} } },
    permission: { enabled: Boolean(options.permissionPolicy) },
    catalog: {
      rules: options.catalogRules ?? [{ allow: ALL_KINDS }],
      locations: options.catalogFiles.map(target => ({
        type: 'file',
        target,
      })),
      stitchingStrategy: { pollingInterval: { milliseconds: 100 } },
    },
    mcpGateway: withCatalogEntityDefault(options.mcpGateway),
    ...(options.techdocs && {
      techdocs: {
        builder: 'external',
        publisher: {
          type: 'local',
          local: { publishDirectory: options.techdocs.publishDirectory },
        },
      },
    }),
  };
  // A config that can be reloaded, as Backstage's file sources can.
  const rootConfig = mockServices.rootConfig({ data });
  const backend = await startTestBackend({
    features: [
      ...features,
      catalogPlugin,
      catalogTemplateKindModule,
      mcpGatewayFeatures,
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      userInfoServiceFactory,
      createServiceFactory({
        service: coreServices.rootConfig,
        deps: {},
        factory: () => rootConfig,
      }),
    ],
  });
  listening.port = backend.server.port();
  const baseUrl = `http://localhost:${listening.port}`;
  return {
    backend,
    baseUrl,
    url: `${baseUrl}/api/mcp-gateway`,
    reloadGatewayConfig(mcpGateway) {
      rootConfig.update({
        data: { ...data, mcpGateway: withCatalogEntityDefault(mcpGateway) },
      });
    },
    async indexSearch() {
      if (!searchScheduler) {
        throw new Error(
          'indexSearch needs a test backend started with techdocs',
        );
      }
      // The ids search-backend-node gives the collators' tasks; the mock
      // scheduler answers once the task has run.
      await searchScheduler.triggerTask('search_index_software_catalog');
      await searchScheduler.triggerTask('search_index_techdocs');
    },
  };
}

/**
 * The gateway's catalog entity is off unless the test's `mcpGateway` says
 * otherwise: most tests are about agents, and an adopter's config without
 * `catalogEntity` fails at start-up for want of an owner. A test that sets
 * `catalogEntity` gets exactly what it set, as an adopter would.
 */
function withCatalogEntityDefault(mcpGateway: JsonValue): JsonValue {
  if (
    !mcpGateway ||
    typeof mcpGateway !== 'object' ||
    Array.isArray(mcpGateway) ||
    'catalogEntity' in mcpGateway
  ) {
    return mcpGateway;
  }
  return { ...mcpGateway, catalogEntity: { enabled: false } };
}

/**
 * Discovery as a deployed backend with this public `backend.baseUrl` has
 * it (HostDiscovery computes `<baseUrl>/api/<pluginId>`), with internal
 * URLs at the port the test server listens on. That port is known only
 * once the backend has started, which is before anything asks for an
 * internal URL; asking earlier is an error rather than a wrong answer.
 */
function publicDiscovery(
  publicBaseUrl: string,
  testPort: () => number | undefined,
) {
  const external = HostDiscovery.fromConfig(
    new ConfigReader({
      backend: { baseUrl: publicBaseUrl, listen: { port: 0 } },
    }),
  );
  return createServiceFactory({
    service: coreServices.discovery,
    deps: {},
    factory: () => ({
      async getBaseUrl(pluginId: string) {
        const port = testPort();
        if (port === undefined) {
          throw new Error(
            `Internal URL of ${pluginId} asked for before the test backend listens`,
          );
        }
        return `http://localhost:${port}/api/${pluginId}`;
      },
      getExternalBaseUrl: (pluginId: string) =>
        external.getExternalBaseUrl(pluginId),
    }),
  });
}

function policyModule(policy: PermissionPolicy | BackendFeature) {
  if (!('handle' in policy)) {
    return policy;
  }
  return createBackendModule({
    pluginId: 'permission',
    moduleId: 'test-policy',
    register(reg) {
      reg.registerInit({
        deps: { policy: policyExtensionPoint },
        async init({ policy: point }) {
          point.setPolicy(policy);
        },
      });
    },
  });
}
