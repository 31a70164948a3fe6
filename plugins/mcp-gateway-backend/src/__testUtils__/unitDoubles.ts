import {
  AuditorService,
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { InMemoryCatalogClient } from '@backstage/catalog-client/testUtils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import { readGatewayConfig } from '../config/gatewayConfig';
import { Caller } from '../core/caller';

// Doubles for the unit layer that do what @backstage/backend-test-utils'
// mockServices and mockCredentials do, without loading that package: it
// costs about a second per test file, and the unit layer must stay fast.

export function serviceCredentials(
  subject: string,
): BackstageCredentials<BackstageServicePrincipal> {
  return {
    $$type: '@backstage/BackstageCredentials',
    principal: { type: 'service', subject },
  };
}

export function userCredentials(
  userEntityRef: string,
  actor?: string,
): BackstageCredentials<BackstageUserPrincipal> {
  return {
    $$type: '@backstage/BackstageCredentials',
    principal: {
      type: 'user',
      userEntityRef,
      ...(actor && { actor: { type: 'service', subject: actor } }),
    },
  };
}

/** A logger whose every method is a jest mock; children log into it. */
export function fakeLogger(): jest.Mocked<LoggerService> {
  const logger = {
    error: jest.fn(),
    warn: jest.fn(),
    info: jest.fn(),
    debug: jest.fn(),
    child: jest.fn(),
  };
  logger.child.mockReturnValue(logger);
  return logger;
}

/** The catalog over these entities, as catalogServiceMock({ entities }) makes it. */
export function inMemoryCatalog(entities: Entity[] = []): CatalogService {
  return new InMemoryCatalogClient({ entities }) as unknown as CatalogService;
}

/** mockServices.permissions.mock(partial), as jest mocks. */
export function fakePermissions(
  partial: Partial<PermissionsService> = {},
): jest.Mocked<PermissionsService> {
  return {
    authorize: jest.fn(partial.authorize),
    authorizeConditional: jest.fn(partial.authorizeConditional),
  } as jest.Mocked<PermissionsService>;
}

/** mockServices.auditor.mock(partial), as jest mocks. */
export function fakeAuditor(
  partial: Partial<AuditorService> = {},
): jest.Mocked<AuditorService> {
  return { createEvent: jest.fn(partial.createEvent) };
}

/** mockServices.userInfo({ ownershipEntityRefs }): any user owns through these. */
export function fakeUserInfo(ownershipEntityRefs: string[]): UserInfoService {
  return {
    async getUserInfo(credentials) {
      const { principal } =
        credentials as BackstageCredentials<BackstageUserPrincipal>;
      return { userEntityRef: principal.userEntityRef, ownershipEntityRefs };
    },
  };
}

/** A caller of this agent (as config JSON), authenticated as a service named after it. */
export function serviceCaller(agentJson: JsonObject): Caller {
  const id = String(agentJson.id);
  const [agent] = readGatewayConfig(
    new ConfigReader({
      mcpGateway: {
        agents: [{ principals: [{ service: id }], ...agentJson }],
      },
    }),
  ).agents;
  return {
    agent,
    principal: id,
    principalType: 'service',
    credentials: serviceCredentials(id),
  };
}
