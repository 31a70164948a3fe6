import { createClient } from '@redis/client';
import knexFactory, { Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { DemoBackend, startDemoBackend } from './demoBackend';
import { McpCaller } from './mcpCaller';
import { PostgresProxy } from './postgresProxy';
import { POSTGRES, REDIS } from './servicesReachable';

/** One backend process and MCP clients for each of the two test agents. */
export interface Replica {
  name: string;
  backend: DemoBackend;
  /** What this replica's audit records name it: `<hostname>:<pid>`. */
  replicaId: string;
  /** The read-everything agent (token of subject incident-copilot). */
  copilot: McpCaller;
  /** The rate-limited agent (token of subject onboarding-bot). */
  bot: McpCaller;
}

export interface AdminAnswer {
  status: number;
  body: any;
}

/** Two replicas of the demo backend sharing one PostgreSQL and one Redis. */
export interface GatewayReplicas {
  /** Unique to this run: names the agents, databases and Redis keys. */
  run: string;
  agents: { copilot: string; bot: string };
  a: Replica;
  b: Replica;
  /** Between the replicas and PostgreSQL: cut it, stall a database. */
  proxy: PostgresProxy;
  /** The databases Backstage made for the plugins, by plugin id. */
  databaseOf(pluginId: string): string;
  /** The gateway's own database, read directly (not through the proxy). */
  gatewayDb: Knex;
  redis: ReturnType<typeof createClient>;
  /** A request to `/api/mcp-gateway/admin/<path>` as the admin service. */
  admin(
    replica: Replica,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<AdminAnswer>;
  stop(): Promise<void>;
}

/** The rate limit of the `bot` agent: the demo onboarding-bot's. */
export const BOT_REQUESTS_PER_MINUTE = 60;

const DATABASE_URL = `postgresql://postgres@${POSTGRES.host}:${POSTGRES.port}`;
const REDIS_URL = `redis://${REDIS.host}:${REDIS.port}`;

/**
 * Starts the demo backend twice on one PostgreSQL (through a proxy the
 * test can cut) and one Redis, with two agents whose ids are unique to
 * this run, so that nothing the run counts is shared with another run.
 * The first replica creates and migrates the databases before the second
 * starts. Whatever fails on the way is stopped and dropped again.
 */
export async function startGatewayReplicas(): Promise<GatewayReplicas> {
  const run = randomBytes(4).toString('hex');
  const prefix = `e2e_${run}_`;
  const agents = { copilot: `e2e-${run}-copilot`, bot: `e2e-${run}-bot` };
  const tokens = {
    copilot: `e2e-copilot-${randomBytes(12).toString('hex')}`,
    bot: `e2e-bot-${randomBytes(12).toString('hex')}`,
    admin: `e2e-admin-${randomBytes(12).toString('hex')}`,
  };
  const cleanups: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch(error => errors.push(error));
    }
    if (errors.length > 0) throw errors[0];
  };

  try {
    const redis = createClient({ url: REDIS_URL });
    await redis.connect();
    cleanups.push(async () => {
      await deleteKeys(redis, `mcp-gateway:rate:e2e-${run}-*`);
      await deleteKeys(redis, `e2e-${run}:*`);
      await redis.quit();
    });
    cleanups.push(() => dropDatabases(prefix));

    const proxy = await PostgresProxy.start({
      host: POSTGRES.host,
      port: POSTGRES.port,
    });
    cleanups.push(() => proxy.close());

    const env = replicaEnv({ run, prefix, agents, tokens, proxy });
    const backends: DemoBackend[] = [];
    for (let i = 0; i < 2; i++) {
      const backend = await startDemoBackend(env, { watch: false });
      cleanups.push(() => backend.stop());
      backends.push(backend);
    }

    const [a, b] = await Promise.all(
      backends.map(async (backend, i) => {
        const url = `${backend.baseUrl}/api/mcp-gateway`;
        const replica: Replica = {
          name: i === 0 ? 'A' : 'B',
          backend,
          replicaId: `${hostname()}:${backend.pid}`,
          copilot: await McpCaller.connect(url, tokens.copilot),
          bot: await McpCaller.connect(url, tokens.bot),
        };
        cleanups.push(() => replica.copilot.close());
        cleanups.push(() => replica.bot.close());
        return replica;
      }),
    );

    const gatewayDb = knexFactory({
      client: 'pg',
      connection: `${DATABASE_URL}/${prefix}mcp-gateway`,
      pool: { min: 0, max: 2 },
    });
    cleanups.push(() => gatewayDb.destroy());

    return {
      run,
      agents,
      a,
      b,
      proxy,
      databaseOf: pluginId => `${prefix}${pluginId}`,
      gatewayDb,
      redis,
      admin: (replica, method, path, body) =>
        adminRequest(replica, tokens.admin, method, path, body),
      stop,
    };
  } catch (error) {
    await stop().catch(() => {});
    throw error;
  }
}

function replicaEnv(options: {
  run: string;
  prefix: string;
  agents: { copilot: string; bot: string };
  tokens: { copilot: string; bot: string; admin: string };
  proxy: PostgresProxy;
}): Record<string, string> {
  const { run, prefix, agents, tokens, proxy } = options;
  return {
    // The static tokens of app-config.yaml, fresh for this run.
    MCP_GATEWAY_DEMO_TOKEN: tokens.copilot,
    ONBOARDING_BOT_TOKEN: tokens.bot,
    GATEWAY_ADMIN_TOKEN: tokens.admin,
    APP_CONFIG_backend_database: JSON.stringify({
      client: 'pg',
      connection: `postgresql://postgres@127.0.0.1:${proxy.port}`,
      prefix,
    }),
    // Backstage's own cache keys under this run's namespace.
    APP_CONFIG_backend_cache: JSON.stringify({
      store: 'redis',
      connection: REDIS_URL,
      redis: { client: { namespace: `e2e-${run}` } },
    }),
    // The demo's incident-copilot and onboarding-bot, under ids of this
    // run: rate counters in Redis are keyed by agent id.
    APP_CONFIG_mcpGateway_agents: JSON.stringify([
      {
        id: agents.copilot,
        description: 'Reads everything; a budget no test exhausts.',
        principals: [{ service: 'incident-copilot' }],
        readOnly: true,
        tools: { allow: ['*'] },
        rateLimit: { requests: 100_000, per: 'minute' },
      },
      {
        id: agents.bot,
        description: "The demo onboarding-bot's rate limit.",
        principals: [{ service: 'onboarding-bot' }],
        readOnly: true,
        tools: { allow: ['search_catalog', 'get_entity', 'who_am_i'] },
        rateLimit: { requests: BOT_REQUESTS_PER_MINUTE, per: 'minute' },
      },
    ]),
  };
}

async function adminRequest(
  replica: Replica,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<AdminAnswer> {
  const response = await fetch(
    `${replica.backend.baseUrl}/api/mcp-gateway/admin/${path}`,
    {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    },
  );
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: the test shows it as it came.
  }
  return { status: response.status, body: parsed };
}

/** Drops every database this run made (Backstage names them prefix + plugin id). */
export async function dropDatabases(prefix: string) {
  const admin = knexFactory({
    client: 'pg',
    connection: `${DATABASE_URL}/postgres`,
    pool: { min: 0, max: 1 },
  });
  try {
    const rows = await admin
      .select('datname')
      .from('pg_database')
      .whereRaw('starts_with(datname, ?)', [prefix]);
    for (const { datname } of rows) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}

export async function deleteKeys(
  redis: ReturnType<typeof createClient>,
  pattern: string,
) {
  const keys: string[] = [];
  for await (const key of redis.scanIterator({ MATCH: pattern, COUNT: 500 })) {
    keys.push(key);
  }
  if (keys.length > 0) await redis.del(keys);
}
