import {
  BackstageCredentials,
  HttpAuthService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import {
  AuthenticationError,
  InputError,
  NotAllowedError,
} from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import {
  AuthorizeResult,
  DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';
import express from 'express';
import { AddressInfo } from 'node:net';
import { AuditEnd, AuditSink, AuditStart } from '../../audit/auditRecord';
import {
  AgentConfig,
  GatewayConfig,
  readGatewayConfig,
} from '../../config/gatewayConfig';
import {
  fakeLogger,
  fakePermissions,
  serviceCredentials,
  userCredentials,
} from '../../__testUtils__/unitDoubles';
import { createAdminRouter } from '../adminRouter';
import {
  ActivitySpan,
  AdminStores,
  AgentActivity,
  AgentActivityDetail,
  AuditFilter,
  AuditRecordView,
  ControlSwitch,
  ControlVerdict,
} from '../adminStores';

/**
 * The header the fake httpAuth reads: `service:<subject>`,
 * `user:<ref>[ via <actor>]`, `restricted` (Backstage's 403) or anything
 * else (an invalid token).
 */
export const CALLER_HEADER = 'x-test-caller';

export const asService = (subject: string) => ({
  [CALLER_HEADER]: `service:${subject}`,
});
export const asUser = (ref: string, actor?: string) => ({
  [CALLER_HEADER]: `user:${ref}${actor ? ` via ${actor}` : ''}`,
});

/** httpAuth as Backstage's behaves for these callers: no header is anonymous. */
export function fakeHttpAuth(): HttpAuthService {
  return {
    async credentials(req: express.Request) {
      const header = req.headers[CALLER_HEADER];
      if (typeof header !== 'string') {
        return {
          $$type: '@backstage/BackstageCredentials',
          principal: { type: 'none' },
        } as BackstageCredentials;
      }
      if (header.startsWith('service:')) {
        return serviceCredentials(header.slice('service:'.length));
      }
      if (header.startsWith('user:')) {
        const [ref, actor] = header.slice('user:'.length).split(' via ');
        return userCredentials(ref, actor);
      }
      if (header === 'restricted') {
        throw new NotAllowedError(
          'This token may not reach plugin mcp-gateway',
        );
      }
      throw new AuthenticationError(
        'token signature secret-123 did not verify',
      );
    },
    issueUserCookie: jest.fn(),
  } as unknown as HttpAuthService;
}

/** Users own their own ref and the groups listed for them. */
export function userInfoWithGroups(
  groups: Record<string, string[]>,
): UserInfoService {
  return {
    async getUserInfo(credentials) {
      const { principal } = credentials as BackstageCredentials<{
        type: 'user';
        userEntityRef: string;
      }>;
      const ref = principal.userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(groups[ref] ?? [])],
      };
    },
  };
}

/** Keeps every record, begun and ended, as the durable sink would. */
export class RecordingSink implements AuditSink {
  readonly records: Array<{ start: AuditStart; end?: AuditEnd }> = [];
  failBegin = false;
  failEnd = false;

  async begin(start: AuditStart) {
    if (this.failBegin) throw new Error('audit database unreachable');
    const record: { start: AuditStart; end?: AuditEnd } = { start };
    this.records.push(record);
    return {
      end: async (end: AuditEnd) => {
        if (this.failEnd) throw new Error('audit database unreachable');
        record.end = end;
      },
    };
  }

  /** The only record, without the request object (checked separately). */
  only() {
    if (this.records.length !== 1) {
      throw new Error(`Expected one audit record, got ${this.records.length}`);
    }
    const { start, end } = this.records[0];
    const { request, ...rest } = start;
    return { ...rest, hasRequest: request !== undefined, end };
  }
}

/** A stored record as the audit store shows it, with only what a test names. */
export function recordView(
  fields: Pick<AuditRecordView, 'id'> & Partial<AuditRecordView>,
): AuditRecordView {
  return {
    time: '2026-11-21T09:30:00.000Z',
    replica: 'replica-1',
    requestId: `req-${fields.id}`,
    method: 'tools/call',
    decision: 'allowed',
    outcome: 'ok',
    ...fields,
  };
}

/**
 * What the audit store reports of copilot over any span: records in its
 * first slice and in the one holding its end, two refusal reasons.
 */
export function copilotActivity({
  from,
  to,
  bucketMs,
}: ActivitySpan): AgentActivityDetail {
  const last = from + Math.floor((to - from) / bucketMs) * bucketMs;
  return {
    buckets: [
      { start: from, calls: 3, refusals: 1, errors: 1 },
      { start: last, calls: 7, refusals: 4, errors: 0 },
    ],
    refusals: [
      {
        reason: 'rate-limited',
        stage: 'limits',
        count: 4,
        lastAt: new Date(to - 1000).toISOString(),
        example: 'Slow down: 10 requests a minute.',
      },
      {
        reason: 'tool-not-allowed',
        stage: 'policy',
        count: 1,
        lastAt: new Date(from).toISOString(),
        example: "Tool 'refresh_entity' is not allowed for agent 'copilot'.",
      },
    ],
  };
}

/** Switches in memory; the verdict follows config first, as the real state does. */
export function fakeStores(config: GatewayConfig) {
  const stored = new Map<string, ControlSwitch>();
  const applied = new Map<string, ControlSwitch>();
  let clock = Date.parse('2026-11-21T10:00:00Z');
  const records: AuditRecordView[] = [
    recordView({ id: 'r1', agent: 'copilot', outcome: 'ok' }),
    recordView({ id: 'r2', agent: 'copilot', outcome: 'error' }),
    recordView({ id: 'r3', agent: 'other', outcome: 'ok' }),
  ];
  const activity = new Map<string, AgentActivity>([
    [
      'copilot',
      {
        lastCallAt: '2026-11-21T09:59:00.000Z',
        lastHour: { calls: 5, refusals: 1 },
        lastDay: { calls: 40, refusals: 3 },
      },
    ],
  ]);

  const switches = {
    readAll: jest.fn(async () => [...stored.values()]),
    set: jest.fn(
      async (change: {
        target: string;
        off: boolean;
        reason?: string;
        changedBy: string;
      }) => {
        clock += 1000;
        const saved: ControlSwitch = {
          ...change,
          changedAt: new Date(clock).toISOString(),
        };
        stored.set(change.target, saved);
        return saved;
      },
    ),
  };
  const control = {
    apply: jest.fn((change: ControlSwitch) => {
      applied.set(change.target, change);
    }),
    verdict: jest.fn((agent: AgentConfig): ControlVerdict => {
      if (config.killSwitch) return { state: 'gateway-stopped', by: 'config' };
      if (!agent.enabled) return { state: 'agent-disabled', by: 'config' };
      const gateway = applied.get('*');
      if (gateway?.off) {
        return {
          state: 'gateway-stopped',
          reason: gateway.reason,
          by: gateway.changedBy,
        };
      }
      const own = applied.get(agent.id);
      if (own?.off) {
        return {
          state: 'agent-disabled',
          reason: own.reason,
          by: own.changedBy,
        };
      }
      return { state: 'running' };
    }),
  };
  const matches = (filter: AuditFilter) => (record: AuditRecordView) =>
    filter.agent === undefined || record.agent === filter.agent;
  const audit = {
    list: jest.fn(
      async (filter: AuditFilter, page: { limit: number; cursor?: string }) => {
        if (page.cursor === 'forged') {
          throw new InputError('Invalid cursor: it was not made by this API');
        }
        const found = records.filter(matches(filter));
        return {
          records: found.slice(0, page.limit),
          ...(found.length > page.limit && { nextCursor: 'next-page' }),
        };
      },
    ),
    export: jest.fn(async function* exported(filter: AuditFilter) {
      for (const record of records.filter(matches(filter))) yield record;
    }),
    activity: jest.fn(async (_now: number) => activity),
    agentActivity: jest.fn(
      async (
        agentId: string,
        span: ActivitySpan,
      ): Promise<AgentActivityDetail> =>
        agentId === 'copilot'
          ? copilotActivity(span)
          : { buckets: [], refusals: [] },
    ),
  };
  const stores: AdminStores = { switches, control, audit };
  return { stores, switches, control, audit, records };
}

export const ADMINS_AND_AGENTS: JsonObject = {
  agents: [
    {
      id: 'copilot',
      description: 'Incident copilot',
      principals: [{ service: 'copilot-svc' }],
      tools: { allow: ['get_entity'] },
      rateLimit: { requests: 10, per: 'minute', writes: 2 },
    },
    { id: 'retired', principals: [{ service: 'retired-svc' }], enabled: false },
  ],
  defaultAgent: { tools: { allow: ['whoami'] } },
  admins: [
    { service: 'ops-bot' },
    { user: 'user:default/Alice' },
    { group: 'group:default/SRE' },
  ],
};

export interface AdminTestOptions {
  gateway?: JsonObject;
  /** When every request arrives, ms since the epoch (2026-11-21T10:00:00Z unless set). */
  now?: number;
  permissionResult?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
}

/** An express app with the admin router at /admin, on a random port. */
export async function startAdminApp(options: AdminTestOptions = {}) {
  const config = readGatewayConfig(
    new ConfigReader({ mcpGateway: options.gateway ?? ADMINS_AND_AGENTS }),
  );
  const doubles = fakeStores(config);
  const sink = new RecordingSink();
  const logger = fakeLogger();
  const permissions = fakePermissions({
    authorize: async requests =>
      requests.map((): DefinitivePolicyDecision => ({
        result: options.permissionResult ?? AuthorizeResult.ALLOW,
      })),
  });
  const now = options.now ?? Date.parse('2026-11-21T10:00:00Z');
  const app = express();
  app.use(
    '/admin',
    createAdminRouter({
      config: () => config,
      httpAuth: fakeHttpAuth(),
      userInfo: userInfoWithGroups({
        'user:default/bob': ['group:default/sre'],
        'user:default/carol': ['group:default/dev'],
      }),
      permissions,
      stores: doubles.stores,
      audit: sink,
      logger,
      now: () => now,
    }),
  );
  const server = app.listen(0);
  await new Promise(resolve => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/admin`;

  return {
    ...doubles,
    sink,
    logger,
    permissions,
    now,
    fetch: (path: string, init: RequestInit = {}) =>
      fetch(`${base}/${path}`, init),
    post: (path: string, body: unknown, headers: Record<string, string>) =>
      fetch(`${base}/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type AdminApp = Awaited<ReturnType<typeof startAdminApp>>;
