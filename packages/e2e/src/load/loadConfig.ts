import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { POSTGRES, REDIS } from '../__testUtils__/servicesReachable';
import { LoadSettings } from './settings';

/** An agent of the load runs: its id is also its token's subject. */
export interface LoadAgent {
  id: string;
  token: string;
}

export interface LoadAgents {
  /** Run 1: the read clients, spread over these. */
  readers: LoadAgent[];
  /** Run 1: the one agent that writes. */
  writer: LoadAgent;
  /** Run 2: driven over their rate limit. */
  noisy: LoadAgent[];
  /** Run 2: well under its limit. */
  quiet: LoadAgent;
  /** Waits for the catalog before the runs, so no run's tally counts it. */
  probe: LoadAgent;
}

/** Budgets no run exhausts: rate limiting is on, but refuses nothing. */
const UNREACHABLE = 1_000_000;

/** Fresh agents and tokens; ids carry the run, as Redis counters are keyed by agent. */
export function loadAgents(run: string, settings: LoadSettings): LoadAgents {
  const agent = (role: string): LoadAgent => ({
    id: `load-${run}-${role}`,
    token: `load-${role}-${randomBytes(18).toString('hex')}`,
  });
  const many = (role: string, count: number) =>
    Array.from({ length: count }, (_, i) => agent(`${role}-${i + 1}`));
  return {
    readers: many('reader', settings.throughput.readerAgents),
    writer: agent('writer'),
    noisy: many('noisy', settings.fairness.noisyAgents),
    quiet: agent('quiet'),
    probe: agent('probe'),
  };
}

/**
 * Writes the config layered over the root app-config.yaml: PostgreSQL under
 * this run's database prefix, Redis as the cache (so rate limits are
 * counted there, as replicas share them), and only the load agents. Config
 * arrays replace those of earlier files, so the demo's agents and tokens
 * are gone in this backend.
 */
export function writeLoadConfig(options: {
  dir: string;
  run: string;
  databasePrefix: string;
  agents: LoadAgents;
  settings: LoadSettings;
}): string {
  const { dir, run, databasePrefix, agents, settings } = options;
  const { noisyLimit, quietLimit, window } = settings.fairness;
  const readAgent = (
    { id }: LoadAgent,
    description: string,
    requests: number,
    per: 'second' | 'minute' = 'minute',
  ) => ({
    id,
    description,
    principals: [{ service: id }],
    readOnly: true,
    tools: { allow: ['*'] },
    rateLimit: { requests, per },
  });
  const all = [
    ...agents.readers,
    agents.writer,
    ...agents.noisy,
    agents.quiet,
    agents.probe,
  ];
  const config = {
    backend: {
      database: {
        client: 'pg',
        connection: `postgresql://postgres@${POSTGRES.host}:${POSTGRES.port}`,
        prefix: databasePrefix,
      },
      cache: {
        store: 'redis',
        connection: `redis://${REDIS.host}:${REDIS.port}`,
        redis: { client: { namespace: `load-${run}` } },
      },
      auth: {
        externalAccess: all.map(({ id, token }) => ({
          type: 'static',
          options: { token, subject: id },
        })),
      },
    },
    // The sample entities are all ingested at start, so their periodic
    // reprocessing (every 100-150 s by default) comes as one wave of
    // catalog and PostgreSQL work that lands in a run at random and slows
    // every catalog read for seconds. Every 30 minutes is after the runs;
    // refresh_entity still has its entity processed at once.
    catalog: { processingInterval: { minutes: 30 } },
    mcpGateway: {
      // The default, said out loud: no record, no call.
      audit: { failurePolicy: 'closed' },
      agents: [
        ...agents.readers.map(reader =>
          readAgent(reader, 'Load run 1: read tools.', UNREACHABLE),
        ),
        {
          id: agents.writer.id,
          description: 'Load run 1: one refresh a second.',
          principals: [{ service: agents.writer.id }],
          readOnly: false,
          tools: { allow: ['refresh_entity'] },
          rateLimit: {
            requests: UNREACHABLE,
            per: 'minute',
            writes: UNREACHABLE,
          },
        },
        ...agents.noisy.map(noisy =>
          readAgent(noisy, 'Load run 2: over its limit.', noisyLimit, window),
        ),
        readAgent(agents.quiet, 'Load run 2: under its limit.', quietLimit),
        readAgent(agents.probe, 'Waits for the catalog.', UNREACHABLE),
      ],
    },
  };
  const file = join(dir, 'app-config.load.yaml');
  writeFileSync(file, stringify(config));
  return file;
}
