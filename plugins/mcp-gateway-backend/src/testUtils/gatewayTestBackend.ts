import {
  BackendFeature,
  coreServices,
  createBackendModule,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { JsonObject, JsonValue } from '@backstage/types';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
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
import mcpGatewayPlugin from '../index';
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
  /** `mcpGateway`: the agents and any other gateway keys. */
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
  /** More `backend` keys, e.g. `cors` or `baseUrl`. */
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
}

/**
 * A real Backstage backend with the gateway on a random port: the real
 * catalog (with the Template kind) loading `catalogFiles`, the real
 * scaffolder, real token verification, permissions and user info (not
 * mocks), and optionally real user sign-in and the permission framework
 * with a policy.
 */
export async function startGatewayTestBackend(
  options: GatewayTestBackendOptions,
): Promise<GatewayTestBackend> {
  const features: BackendFeature[] = [...(options.features ?? [])];
  if (options.users) {
    features.push(authPlugin, testSignInModule);
  }
  if (options.permissionPolicy) {
    features.push(permissionPlugin, policyModule(options.permissionPolicy));
  }
  if (options.scaffolder ?? true) {
    features.push(scaffolderPlugin);
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
    mcpGateway: options.mcpGateway,
  };
  // A config that can be reloaded, as Backstage's file sources can.
  const rootConfig = mockServices.rootConfig({ data });
  const backend = await startTestBackend({
    features: [
      ...features,
      catalogPlugin,
      catalogTemplateKindModule,
      mcpGatewayPlugin,
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
  const baseUrl = `http://localhost:${backend.server.port()}`;
  return {
    backend,
    baseUrl,
    url: `${baseUrl}/api/mcp-gateway`,
    reloadGatewayConfig(mcpGateway) {
      rootConfig.update({ data: { ...data, mcpGateway } });
    },
  };
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
