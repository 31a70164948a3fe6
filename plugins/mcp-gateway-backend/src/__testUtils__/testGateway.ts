import {
  BackendFeature,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import authPlugin from '@backstage/plugin-auth-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { JsonObject } from '@backstage/types';
import { testSignInModule } from '../testUtils';
import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogTemplateKindModule from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { resolve as resolvePath } from 'node:path';
import mcpGatewayPlugin from '../index';
import { CapturedLog, capturingRootLogger, LogLevel } from './capturedLogs';

const repoRoot = resolvePath(__dirname, '../../../..');

/** The static token a test caller with this service subject presents. */
export const tokenFor = (subject: string) => `test-token-${subject}`;

/** An event as Backstage's real auditor wrote it: level, actor and all. */
export interface CapturedAuditEvent {
  eventId: string;
  severityLevel: string;
  /** The log level the default auditor wrote it at (info is the default). */
  level: LogLevel;
  /** Who Backstage's auditor says acted. */
  actorId?: string;
  meta: Record<string, any>;
  status: 'succeeded' | 'failed';
}

/** A tool call's answer, as a test reads it. */
export interface ToolAnswer {
  isError: boolean;
  /** Every text block, joined by newlines. */
  text: string;
  /** structuredContent. */
  data: any;
}

export interface TestGateway {
  url: string;
  /** The gateway's finished audit events, in order (a fresh copy). */
  readonly auditEvents: CapturedAuditEvent[];
  /** Every line the backend logged. */
  logs: CapturedLog[];
  baseUrl: string;
  /** An MCP SDK client (Streamable HTTP) authenticated as `subject`. */
  connect(subject: string): Promise<Client>;
  /** Calls a tool as `subject`, through one SDK client per subject. */
  call(
    subject: string,
    tool: string,
    args?: Record<string, unknown>,
  ): Promise<ToolAnswer>;
  /** A raw POST to the MCP endpoint, for what SDK clients never send. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  stop(): Promise<void>;
}

export interface TestGatewayOptions {
  /** `mcpGateway.agents`, as an adopter would write them. */
  agents: JsonObject[];
  /** `mcpGateway.defaultAgent`. */
  defaultAgent?: JsonObject;
  /** Service subjects that get a static externalAccess token. */
  subjects: string[];
  /** More `backend.auth.externalAccess` entries (e.g. JWKS). */
  externalAccess?: JsonObject[];
  /** Real user sign-in (auth backend + the test provider): see signInAs. */
  users?: boolean;
  /** Turns the permission framework on, with this policy. */
  permissionPolicy?: PermissionPolicy;
  /** More plugins or modules, e.g. the Portal stand-in. */
  features?: BackendFeature[];
  /** More `mcpGateway` keys besides the agents. */
  mcpGateway?: JsonObject;
  /** More `backend` keys, e.g. `cors`. */
  backend?: JsonObject;
  /** More catalog files to load, from `src/__fixtures__`. */
  fixtures?: string[];
}

/**
 * A real Backstage backend: the real catalog loading the sample organisation
 * (plus a cycle fixture), real token verification, and the gateway plugin.
 */
export async function startTestGateway(
  options: TestGatewayOptions,
): Promise<TestGateway> {
  const logs: CapturedLog[] = [];
  const optional: BackendFeature[] = [...(options.features ?? [])];
  if (options.users) {
    optional.push(authPlugin, testSignInModule);
  }
  if (options.permissionPolicy) {
    const policy = options.permissionPolicy;
    optional.push(
      permissionPlugin,
      createBackendModule({
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
      }),
    );
  }
  const backend = await startTestBackend({
    features: [
      ...optional,
      // Backstage's real auditor, writing into a logger the test can read.
      auditorServiceFactory,
      capturingRootLogger(logs),
      catalogPlugin,
      catalogTemplateKindModule,
      mcpGatewayPlugin,
      // Real token verification, permissions and user info, not mocks.
      authServiceFactory,
      httpAuthServiceFactory,
      permissionsServiceFactory,
      userInfoServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: {
            ...options.backend,
            auth: {
              externalAccess: [
                ...options.subjects.map(subject => ({
                  type: 'static',
                  options: { token: tokenFor(subject), subject },
                })),
                ...(options.externalAccess ?? []),
              ],
            },
          },
          app: { baseUrl: 'http://localhost:3000' },
          auth: { providers: { test: {} } },
          permission: { enabled: Boolean(options.permissionPolicy) },
          catalog: {
            rules: [
              {
                allow: [
                  'Component',
                  'System',
                  'API',
                  'Resource',
                  'Location',
                  'Domain',
                  'Group',
                  'User',
                  'Template',
                ],
              },
            ],
            locations: [
              {
                type: 'file',
                target: resolvePath(repoRoot, 'examples/catalog.yaml'),
              },
              ...['cycle.yaml', ...(options.fixtures ?? [])].map(file => ({
                type: 'file',
                target: resolvePath(__dirname, '../__fixtures__', file),
              })),
            ],
            stitchingStrategy: { pollingInterval: { milliseconds: 100 } },
          },
          mcpGateway: {
            ...options.mcpGateway,
            agents: options.agents,
            ...(options.defaultAgent && { defaultAgent: options.defaultAgent }),
          },
        },
      }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}`;
  const url = `${baseUrl}/api/mcp-gateway`;
  const clients: Client[] = [];
  const clientOf = new Map<string, Promise<Client>>();

  const gateway: TestGateway = {
    url,
    get auditEvents() {
      return auditEventsIn(logs);
    },
    logs,
    baseUrl,
    async connect(subject) {
      const client = new Client({ name: 'gateway-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: {
            headers: { Authorization: `Bearer ${tokenFor(subject)}` },
          },
        }),
      );
      clients.push(client);
      return client;
    },
    async call(subject, tool, args = {}) {
      if (!clientOf.has(subject))
        clientOf.set(subject, gateway.connect(subject));
      const result: any = await (
        await clientOf.get(subject)!
      ).callTool({
        name: tool,
        arguments: args,
      });
      return {
        isError: result.isError === true,
        text: result.content.map((c: { text: string }) => c.text).join('\n'),
        data: result.structuredContent,
      };
    },
    post(body, headers = {}) {
      return fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    },
    async stop() {
      await Promise.all(clients.map(c => c.close()));
      await backend.stop();
    },
  };
  return gateway;
}

/**
 * Waits until the catalog has ingested and stitched the fixtures: the entity
 * count reaches `minimum` and the relations stop changing.
 */
export async function waitForCatalog(
  gateway: TestGateway,
  subject: string,
  minimum: number,
) {
  const deadline = Date.now() + 60_000;
  let last = '';
  let stableRounds = 0;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${gateway.baseUrl}/api/catalog/entities/by-query?limit=1000&fields=metadata.name,relations`,
      { headers: { Authorization: `Bearer ${tokenFor(subject)}` } },
    );
    if (response.ok) {
      const { items } = (await response.json()) as {
        items: Array<{ relations?: unknown[] }>;
      };
      const fingerprint = `${items.length}:${items.reduce((n, e) => n + (e.relations?.length ?? 0), 0)}`;
      stableRounds =
        items.length >= minimum && fingerprint === last ? stableRounds + 1 : 0;
      last = fingerprint;
      if (stableRounds >= 3) return;
    }
    await new Promise(r => setTimeout(r, 300));
  }
  throw new Error(`The catalog did not settle in time (last seen ${last})`);
}

/** The gateway's finished auditor events among the logged lines. */
function auditEventsIn(logs: CapturedLog[]): CapturedAuditEvent[] {
  return logs
    .filter(
      ({ fields }) =>
        fields.isAuditEvent &&
        fields.plugin === 'mcp-gateway' &&
        (fields.status === 'succeeded' || fields.status === 'failed'),
    )
    .map(({ level, fields }) => ({
      eventId: fields.eventId,
      severityLevel: fields.severityLevel,
      level,
      actorId: fields.actor?.actorId,
      meta: fields.meta ?? {},
      status: fields.status,
    }));
}
