import { createClient } from '@redis/client';
import knexFactory from 'knex';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startDemoBackend } from '../__testUtils__/demoBackend';
import { deleteKeys, dropDatabases } from '../__testUtils__/gatewayReplicas';
import { McpCaller } from '../__testUtils__/mcpCaller';
import { POSTGRES, REDIS } from '../__testUtils__/servicesReachable';
import { AuditTally, auditTally } from './auditTally';
import { Cleanups } from './cleanups';
import {
  LoadAgent,
  LoadAgents,
  loadAgents,
  writeLoadConfig,
} from './loadConfig';
import { assertBackendProcess, cpuSeconds, rssMb } from './processStats';
import { LoadSettings } from './settings';
import { READ_MIX, sleep, timedCall, WRITE_CALL } from './workload';

/** The backend under load, and what the runs read from it. */
export interface LoadBackend {
  /** Unique to this run: names the agents, databases and Redis keys. */
  run: string;
  agents: LoadAgents;
  pid: number;
  /** The MCP endpoint. */
  url: string;
  /** A new MCP SDK client holding the agent's token; the caller closes it. */
  connect(agent: LoadAgent): Promise<McpCaller>;
  rssMb(): number;
  cpuSeconds(): number;
  /** The agents' tool-call records in the gateway's audit table. */
  audit(agents: LoadAgent[]): Promise<Map<string, AuditTally>>;
  /** Has the process ended? */
  exited(): boolean;
  output(): string;
}

const REDIS_URL = `redis://${REDIS.host}:${REDIS.port}`;

/**
 * Starts the demo backend as one process on PostgreSQL (databases under a
 * prefix of this run) and Redis, with the load agents only, and waits until
 * the sample catalog answers every call of the read mix. Everything it
 * makes is undone by `cleanups`, which it fills as it goes.
 */
export async function startLoadBackend(options: {
  settings: LoadSettings;
  cleanups: Cleanups;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Where the backend's output is saved once it has stopped. */
  logFile: string;
}): Promise<LoadBackend> {
  const { settings, cleanups, signal, log } = options;
  const run = randomBytes(4).toString('hex');
  const prefix = `load_${run}_`;
  const agents = loadAgents(run, settings);

  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-load-'));
  cleanups.add('remove the config directory', async () =>
    rmSync(dir, { recursive: true, force: true }),
  );
  const configFile = writeLoadConfig({
    dir,
    run,
    databasePrefix: prefix,
    agents,
    settings,
  });

  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  cleanups.add('delete the Redis keys', async () => {
    await deleteKeys(redis, `mcp-gateway:rate:load-${run}-*`);
    await deleteKeys(redis, `load-${run}:*`);
    await redis.quit();
  });
  // Before the start: a backend that fails half-way leaves databases too.
  cleanups.add(`drop the databases ${prefix}*`, () => dropDatabases(prefix));

  log(`Starting the backend (run ${run}, databases ${prefix}*)`);
  const startedAt = Date.now();
  const backend = await startDemoBackend(
    {},
    { watch: false, configFiles: [configFile], signal },
  );
  cleanups.add('stop the backend', async () => {
    await backend.stop();
    // Errors the runs saw name a reference the backend logged.
    mkdirSync(dirname(options.logFile), { recursive: true });
    writeFileSync(options.logFile, backend.output());
  });
  assertBackendProcess(backend.pid);
  log(`Backend ${backend.pid} ready in ${Date.now() - startedAt} ms`);

  const gatewayDb = knexFactory({
    client: 'pg',
    connection: `postgresql://postgres@${POSTGRES.host}:${POSTGRES.port}/${prefix}mcp-gateway`,
    pool: { min: 0, max: 2 },
  });
  cleanups.add('close the audit reader', () => gatewayDb.destroy());

  const url = `${backend.baseUrl}/api/mcp-gateway`;
  const loadBackend: LoadBackend = {
    run,
    agents,
    pid: backend.pid,
    url,
    connect: agent => McpCaller.connect(url, agent.token),
    rssMb: () => rssMb(backend.pid),
    cpuSeconds: () => cpuSeconds(backend.pid),
    audit: list =>
      auditTally(
        gatewayDb,
        list.map(agent => agent.id),
      ),
    exited: backend.exited,
    output: backend.output,
  };
  await untilCatalogServes(loadBackend, signal);
  log(`Catalog ingested ${Date.now() - startedAt} ms after start`);
  return loadBackend;
}

/**
 * The sample organisation is ingested a few seconds after start: wait until
 * every call of the read mix succeeds, and the write's entity is there, so
 * no run counts the catalog's start-up as errors. The probe agent's calls
 * are in no run's tally.
 */
async function untilCatalogServes(backend: LoadBackend, signal: AbortSignal) {
  const probe = await backend.connect(backend.agents.probe);
  try {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const calls = await Promise.all(
        [...READ_MIX, { name: 'get_entity', args: WRITE_CALL.args }].map(call =>
          timedCall(probe, call),
        ),
      );
      const failed = calls.filter(call => call.outcome.kind !== 'ok');
      if (failed.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `The catalog did not serve the read mix within 120 s: ${failed
            .map(call => `${call.tool}: ${call.outcome.text}`)
            .join('; ')}`,
        );
      }
      await sleep(500, signal);
    }
  } finally {
    await probe.close();
  }
}
