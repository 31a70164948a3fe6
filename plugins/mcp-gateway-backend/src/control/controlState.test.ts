import { TestDatabaseId } from '@backstage/backend-test-utils';
import knexFactory, { Knex } from 'knex';
import { gatewayTestDatabases } from '../__testUtils__/databases';
import { fakeLogger, serviceCaller } from '../__testUtils__/unitDoubles';
import { AgentConfig } from '../config/gatewayConfig';
import { ControlChange, ControlState } from './controlState';
import { ControlSwitches, GATEWAY_TARGET } from './controlSwitches';
import { isPostgres } from './postgresNotifications';

// Two replicas on one database: A writes (as the admin API will), B only
// listens and polls. On PostgreSQL they are two knex clients, as two
// backend processes would be; on SQLite (embedded, one process) they share
// the in-memory database's knex and B can only poll.

const databases = gatewayTestDatabases();

const awake = serviceCaller({ id: 'awake' }).agent;
const sleepy = serviceCaller({ id: 'sleepy' }).agent;

/** Long enough that only a notification can explain a change seen in time. */
const POSTGRES_POLL_MS = 60_000;
const SQLITE_POLL_MS = 200;

interface Replicas {
  knex: Knex;
  /** A's store: what the admin API calls. */
  switches: ControlSwitches;
  a: ControlState;
  b: ControlState;
  bLogger: ReturnType<typeof fakeLogger>;
  pollMs: number;
}

describe('ControlState across replicas', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function replicas(
    id: TestDatabaseId,
    options: {
      killSwitchInConfig?: () => boolean;
      pollMs?: number;
    } = {},
  ): Promise<Replicas> {
    const knex = await databases.migrated(id);
    const postgres = isPostgres(knex);
    const pollMs =
      options.pollMs ?? (postgres ? POSTGRES_POLL_MS : SQLITE_POLL_MS);
    let knexB = knex;
    if (postgres) {
      knexB = knexFactory({
        client: 'pg',
        connection: { ...knex.client.connectionSettings },
        pool: { min: 0, max: 3 },
      });
      cleanups.push(() => knexB.destroy());
    }
    const switches = new ControlSwitches(knex);
    const a = new ControlState({
      switches,
      knex,
      killSwitchInConfig: () => false,
      logger: fakeLogger(),
      pollIntervalMs: pollMs,
    });
    const bLogger = fakeLogger();
    const b = new ControlState({
      switches: new ControlSwitches(knexB),
      knex: knexB,
      killSwitchInConfig: options.killSwitchInConfig ?? (() => false),
      logger: bLogger,
      pollIntervalMs: pollMs,
    });
    await a.start();
    cleanups.push(() => a.stop());
    await b.start();
    cleanups.push(() => b.stop());
    return { knex, switches, a, b, bLogger, pollMs };
  }

  /** Sets a switch as the admin API will: store it, then apply it locally. */
  async function set(
    { switches, a }: Replicas,
    target: string,
    off: boolean,
    reason?: string,
  ) {
    a.apply(
      await switches.set({
        target,
        off,
        reason,
        changedBy: 'user:default/ops',
      }),
    );
  }

  /** How long until B's verdict for the agent reaches the state, in ms. */
  async function timeUntil(
    state: ControlState,
    agent: AgentConfig,
    expected: string,
    timeoutMs = 3000,
  ) {
    const started = Date.now();
    while (state.verdict(agent).state !== expected) {
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `Still ${JSON.stringify(
            state.verdict(agent),
          )} after ${timeoutMs} ms, expected ${expected}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    return Date.now() - started;
  }

  /** Within 1 s on PostgreSQL; on SQLite within a poll interval (plus slack). */
  const deadline = (r: Replicas) =>
    isPostgres(r.knex) ? 1000 : r.pollMs + 300;

  it.each(databases.ids)(
    'carries a disable, an enable and a gateway stop to the other replica in time on %p',
    async id => {
      const r = await replicas(id);
      const changes: ControlChange[] = [];
      r.b.onChange(change => changes.push(change));
      expect(r.b.verdict(sleepy)).toEqual({ state: 'running' });

      await set(r, 'sleepy', true, 'leaking tokens');
      // A needs no round trip to see its own change.
      expect(r.a.verdict(sleepy).state).toBe('agent-disabled');
      expect(await timeUntil(r.b, sleepy, 'agent-disabled')).toBeLessThan(
        deadline(r),
      );
      expect(r.b.verdict(sleepy)).toEqual({
        state: 'agent-disabled',
        reason: 'leaking tokens',
        by: 'user:default/ops',
      });
      expect(r.b.verdict(awake).state).toBe('running');
      expect(changes).toEqual([
        {
          stoppedAgents: ['sleepy'],
          gatewayStopped: false,
          switchedAgents: ['sleepy'],
          gatewaySwitched: false,
        },
      ]);

      await set(r, 'sleepy', false);
      expect(await timeUntil(r.b, sleepy, 'running')).toBeLessThan(deadline(r));

      await set(r, GATEWAY_TARGET, true, 'incident 42');
      expect(await timeUntil(r.b, awake, 'gateway-stopped')).toBeLessThan(
        deadline(r),
      );
      expect(changes).toEqual([
        {
          stoppedAgents: ['sleepy'],
          gatewayStopped: false,
          switchedAgents: ['sleepy'],
          gatewaySwitched: false,
        },
        {
          stoppedAgents: [],
          gatewayStopped: false,
          switchedAgents: ['sleepy'],
          gatewaySwitched: false,
        },
        {
          stoppedAgents: [],
          gatewayStopped: true,
          switchedAgents: [],
          gatewaySwitched: true,
        },
      ]);

      await set(r, GATEWAY_TARGET, false);
      expect(await timeUntil(r.b, awake, 'running')).toBeLessThan(deadline(r));
    },
  );

  it.each(databases.ids)(
    'never lets a run-time enable release what config switched off on %p',
    async id => {
      const r = await replicas(id, { killSwitchInConfig: () => true });
      const sleepyInConfig = serviceCaller({
        id: 'sleepy',
        enabled: false,
      }).agent;
      await set(r, GATEWAY_TARGET, false);
      await set(r, 'sleepy', false);
      // A, whose config has no kill switch, sees the enable...
      expect(await timeUntil(r.a, awake, 'running')).toBeLessThan(1000);
      await new Promise(resolve => setTimeout(resolve, deadline(r)));
      // ...B, whose config has it, does not let it through.
      expect(r.b.verdict(awake)).toEqual({
        state: 'gateway-stopped',
        by: 'config',
      });
      expect(r.a.verdict(sleepyInConfig)).toEqual({
        state: 'agent-disabled',
        by: 'config',
      });
    },
  );

  it.each(databases.ids)(
    'fails closed while the switches cannot be read, and recovers on %p',
    async id => {
      // Short polls, so the freshness window (3 polls) is short too; on
      // PostgreSQL the listener stays connected all along.
      const r = await replicas(id, { pollMs: 150 });
      await r.knex.schema.renameTable('control_switches', 'switches_away');
      const away = Date.now();
      await timeUntil(r.b, awake, 'unavailable');
      expect(Date.now() - away).toBeGreaterThanOrEqual(150);
      expect(r.bLogger.error).toHaveBeenCalledTimes(1);
      expect(r.bLogger.error.mock.calls[0][0]).toMatch(
        /unavailable .*switches.*; refusing every call/,
      );

      await r.knex.schema.renameTable('switches_away', 'control_switches');
      await timeUntil(r.b, awake, 'running');
      expect(r.bLogger.error).toHaveBeenCalledTimes(1);
      expect(r.bLogger.info).toHaveBeenCalledWith(
        expect.stringContaining('readable again'),
      );
    },
  );

  it.each(databases.ids)(
    'on PostgreSQL, refuses once the listener is lost, then reconnects and hears changes again (%p)',
    async id => {
      const r = await replicas(id);
      if (!isPostgres(r.knex)) return; // SQLite has no listener to lose
      // Reads fail too, so only the lost listener can explain 'unavailable'
      // (a read 60 s fresh would otherwise be trusted for 3 minutes).
      await r.knex.schema.renameTable('control_switches', 'switches_away');
      const terminated = await r.knex.raw(
        `select pg_terminate_backend(pid) as ok from pg_stat_activity
          where datname = current_database() and query like 'LISTEN%'`,
      );
      expect(terminated.rows).toHaveLength(2); // A's and B's listeners
      expect(await timeUntil(r.b, awake, 'unavailable')).toBeLessThan(1000);

      await r.knex.schema.renameTable('switches_away', 'control_switches');
      expect(await timeUntil(r.b, awake, 'running')).toBeLessThan(3000);

      await set(r, 'sleepy', true);
      expect(await timeUntil(r.b, sleepy, 'agent-disabled')).toBeLessThan(1000);
    },
  );

  it.each(databases.ids)(
    'closes its listening connection when stopped on %p',
    async id => {
      const knex = await databases.migrated(id);
      if (!isPostgres(knex)) return; // nothing to close on SQLite
      const listeners = async () =>
        (
          await knex.raw(
            `select pid from pg_stat_activity
              where datname = current_database() and query like 'LISTEN%'`,
          )
        ).rows.length;
      const state = new ControlState({
        switches: new ControlSwitches(knex),
        knex,
        killSwitchInConfig: () => false,
        logger: fakeLogger(),
      });
      await state.start();
      expect(await listeners()).toBe(1);
      await state.stop();
      for (let i = 0; i < 50 && (await listeners()) > 0; i += 1) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      expect(await listeners()).toBe(0);
    },
  );
});
