import { BackendFeature } from '@backstage/backend-plugin-api';
import { auditorServiceFactory } from '@backstage/backend-defaults/auditor';
import { PermissionPolicy } from '@backstage/plugin-permission-node';
import { JsonObject } from '@backstage/types';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { resolve as resolvePath } from 'node:path';
import { answerOf, startGatewayTestBackend, ToolAnswer } from '../testUtils';
import { CapturedLog, capturingRootLogger, LogLevel } from './capturedLogs';

export {
  textOf,
  toolsAllowedFor,
  waitForCatalog,
  type ToolAnswer,
} from '../testUtils';

const repoRoot = resolvePath(__dirname, '../../../..');

/** The static token a test caller with this service subject presents. */
export const tokenFor = (subject: string) => `test-token-${subject}`;

/** The service subject every test gateway lists in `mcpGateway.admins`. */
export const ADMIN_SUBJECT = 'gateway-admin';

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

export interface TestGateway {
  url: string;
  /** The gateway's finished audit events, in order (a fresh copy). */
  readonly auditEvents: CapturedAuditEvent[];
  /** Every line the backend logged. */
  logs: CapturedLog[];
  baseUrl: string;
  /** An MCP SDK client (Streamable HTTP) authenticated as `subject`. */
  connect(subject: string): Promise<Client>;
  /** An MCP SDK client sending this bearer token (a signed-in user's). */
  connectWithToken(token: string): Promise<Client>;
  /** Calls a tool as `subject`, through one SDK client per subject. */
  call(
    subject: string,
    tool: string,
    args?: Record<string, unknown>,
  ): Promise<ToolAnswer>;
  /** A raw POST to the MCP endpoint, for what SDK clients never send. */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /**
   * A request to the admin API (`path` under /api/mcp-gateway/admin/),
   * as ADMIN_SUBJECT unless `as` names another subject (or null: anonymous).
   */
  admin(
    path: string,
    options?: {
      method?: string;
      body?: unknown;
      as?: string | null;
      headers?: Record<string, string>;
    },
  ): Promise<Response>;
  /** The durable audit records matching the query (as ADMIN_SUBJECT), newest first. */
  auditRecords(query?: Record<string, string>): Promise<any[]>;
  /**
   * Reloads `mcpGateway` with these agents (and keys) in place of the
   * ones it started with, as an edited app-config file is reloaded.
   */
  reloadConfig(config: GatewayPolicyOptions): void;
  /** With `docs`: indexes the catalog and the sample TechDocs for search now. */
  indexSearch(): Promise<void>;
  stop(): Promise<void>;
}

/** What a test's `mcpGateway` holds: every gateway also lists ADMIN_SUBJECT as an admin. */
export type GatewayPolicyOptions = Pick<
  TestGatewayOptions,
  'agents' | 'defaultAgent' | 'mcpGateway'
>;

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
  /**
   * The real techdocs backend serving examples/techdocs, and the real
   * search backend (call `indexSearch` once the catalog is loaded).
   */
  docs?: boolean;
}

/**
 * A real Backstage backend: the real catalog loading the sample organisation
 * (plus a cycle fixture), real token verification, and the gateway plugin.
 */
export async function startTestGateway(
  options: TestGatewayOptions,
): Promise<TestGateway> {
  const logs: CapturedLog[] = [];
  const { backend, baseUrl, url, reloadGatewayConfig, indexSearch } =
    await startGatewayTestBackend({
      ...(options.docs && {
        techdocs: {
          publishDirectory: resolvePath(repoRoot, 'examples/techdocs'),
        },
      }),
      features: [
        ...(options.features ?? []),
        // Backstage's real auditor, writing into a logger the test can read.
        auditorServiceFactory,
        capturingRootLogger(logs),
      ],
      users: options.users,
      permissionPolicy: options.permissionPolicy,
      backend: options.backend,
      externalAccess: [
        ...[...options.subjects, ADMIN_SUBJECT].map(subject => ({
          type: 'static',
          options: { token: tokenFor(subject), subject },
        })),
        ...(options.externalAccess ?? []),
      ],
      catalogFiles: [
        resolvePath(repoRoot, 'examples/catalog.yaml'),
        ...['cycle.yaml', ...(options.fixtures ?? [])].map(file =>
          resolvePath(__dirname, '../__fixtures__', file),
        ),
      ],
      mcpGateway: gatewayConfigOf(options),
    });
  const clients: Client[] = [];
  const clientOf = new Map<string, Promise<Client>>();

  const gateway: TestGateway = {
    url,
    get auditEvents() {
      return auditEventsIn(logs);
    },
    logs,
    baseUrl,
    connect: subject => gateway.connectWithToken(tokenFor(subject)),
    async connectWithToken(token) {
      const client = new Client({ name: 'gateway-test', version: '1.0.0' });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { Authorization: `Bearer ${token}` } },
        }),
      );
      clients.push(client);
      return client;
    },
    async call(subject, tool, args = {}) {
      if (!clientOf.has(subject))
        clientOf.set(subject, gateway.connect(subject));
      return answerOf(
        await (
          await clientOf.get(subject)!
        ).callTool({ name: tool, arguments: args }),
      );
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
    admin(path, { method = 'GET', body, as = ADMIN_SUBJECT, headers } = {}) {
      return fetch(`${baseUrl}/api/mcp-gateway/admin/${path}`, {
        method,
        headers: {
          ...(as !== null && { authorization: `Bearer ${tokenFor(as)}` }),
          ...(body !== undefined && { 'content-type': 'application/json' }),
          ...headers,
        },
        body:
          body === undefined || typeof body === 'string'
            ? body
            : JSON.stringify(body),
      });
    },
    async auditRecords(query = {}) {
      const response = await gateway.admin(
        `audit?${new URLSearchParams({ limit: '500', ...query })}`,
      );
      if (!response.ok) {
        throw new Error(
          `GET audit answered ${response.status}: ${await response.text()}`,
        );
      }
      return (await response.json()).records;
    },
    reloadConfig(config) {
      reloadGatewayConfig(gatewayConfigOf(config));
    },
    indexSearch,
    async stop() {
      await Promise.all(clients.map(c => c.close()));
      await backend.stop();
    },
  };
  return gateway;
}

function gatewayConfigOf(options: GatewayPolicyOptions): JsonObject {
  return {
    admins: [{ service: ADMIN_SUBJECT }],
    ...options.mcpGateway,
    agents: options.agents,
    ...(options.defaultAgent && { defaultAgent: options.defaultAgent }),
  };
}

/**
 * The gateway's audit events that finished while `action` ran: a test's own
 * events, whatever ran before it. Waits for at least `atLeast` of them, for
 * refusals audited only after the answer (a body cut short).
 */
export async function auditedDuring(
  gateway: TestGateway,
  action: () => Promise<unknown>,
  atLeast = 0,
): Promise<CapturedAuditEvent[]> {
  const before = gateway.auditEvents.length;
  await action();
  // Most refusals are audited before the answer; a cut-short request only
  // once the server has seen the connection end.
  for (let i = 0; i < 100; i++) {
    if (gateway.auditEvents.length - before >= atLeast) break;
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  await new Promise(resolve => setImmediate(resolve));
  return gateway.auditEvents.slice(before);
}

/** Every JSON-RPC message in a raw response, whether JSON or an SSE stream. */
export async function messagesOf(response: Response): Promise<any[]> {
  const text = await response.text();
  if (!response.headers.get('content-type')?.includes('text/event-stream')) {
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  return text
    .split('\n')
    .filter(line => line.startsWith('data: ') && line.length > 6)
    .map(line => JSON.parse(line.slice(6)));
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
