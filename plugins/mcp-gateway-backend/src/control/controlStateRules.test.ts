import { EventEmitter } from 'node:events';
import { Knex } from 'knex';
import { fakeLogger, serviceCaller } from '../__testUtils__/unitDoubles';
import { AgentConfig } from '../config/gatewayConfig';
import { ControlChange, ControlState } from './controlState';
import { ControlSwitch } from './controlSwitches';

// The rules of ControlState with a fake store, a fake clock and (for
// PostgreSQL) a fake LISTEN connection, so every transition is exact.
// controlState.test.ts runs the same class against real databases.

const POLL_MS = 1000;
const sleepy = serviceCaller({ id: 'sleepy' }).agent;
const awake = serviceCaller({ id: 'awake' }).agent;

function off(target: string, by = 'user:default/alice'): ControlSwitch {
  return {
    target,
    off: true,
    reason: `${target} misbehaved`,
    changedBy: by,
    changedAt: new Date(0).toISOString(),
  };
}

function on(target: string): ControlSwitch {
  return { ...off(target), off: false, reason: undefined };
}

/** A store whose rows and failures the test sets. */
function fakeSwitches(initial: ControlSwitch[] = []) {
  const store = {
    rows: initial,
    failure: undefined as Error | undefined,
    readAll: jest.fn(async (): Promise<ControlSwitch[]> => {
      if (store.failure) throw store.failure;
      return store.rows.map(row => ({ ...row }));
    }),
  };
  return store;
}

const sqliteKnex = { client: { dialect: 'sqlite3' } } as unknown as Knex;

/** A PostgreSQL knex whose raw connections are fakes the test can break. */
function fakePostgres() {
  class FakeConnection extends EventEmitter {
    query = jest.fn(async (_sql: string) => ({}));
    destroyed = false;
  }
  const pg = {
    connections: [] as FakeConnection[],
    refuse: false,
    client: {
      dialect: 'postgresql',
      connectionSettings: {},
      acquireRawConnection: jest.fn(async () => {
        if (pg.refuse) throw new Error('connect ECONNREFUSED');
        const connection = new FakeConnection();
        pg.connections.push(connection);
        return connection;
      }),
      destroyRawConnection: jest.fn(async (connection: FakeConnection) => {
        connection.destroyed = true;
      }),
    },
    get knex() {
      return { client: pg.client } as unknown as Knex;
    },
    get live() {
      return pg.connections.filter(c => !c.destroyed);
    },
  };
  return pg;
}

describe('ControlState rules', () => {
  let states: ControlState[];
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
    states = [];
  });
  afterEach(async () => {
    await Promise.all(states.map(state => state.stop()));
    jest.useRealTimers();
  });

  function stateOf(
    switches: ReturnType<typeof fakeSwitches>,
    options: { killSwitch?: boolean; knex?: Knex } = {},
  ) {
    const logger = fakeLogger();
    const state = new ControlState({
      switches,
      knex: options.knex ?? sqliteKnex,
      killSwitchInConfig: () => options.killSwitch ?? false,
      logger,
      pollIntervalMs: POLL_MS,
      now: () => Date.now(),
    });
    states.push(state);
    return { state, logger };
  }

  const stateOfAgent = (state: ControlState, agent: AgentConfig) =>
    state.verdict(agent).state;

  describe('config wins over run-time switches', () => {
    it('keeps the gateway stopped when config engages the kill switch', async () => {
      const { state } = stateOf(fakeSwitches([on('*')]), { killSwitch: true });
      await state.start();
      expect(state.verdict(awake)).toEqual({
        state: 'gateway-stopped',
        by: 'config',
      });
    });

    it('keeps an agent disabled in config disabled, even while unavailable', async () => {
      const switches = fakeSwitches([on('sleepy')]);
      switches.failure = new Error('down');
      const { state } = stateOf(switches);
      await state.start();
      const disabled = serviceCaller({ id: 'sleepy', enabled: false }).agent;
      expect(state.verdict(disabled)).toEqual({
        state: 'agent-disabled',
        by: 'config',
      });
      expect(stateOfAgent(state, awake)).toBe('unavailable');
    });

    it('reads the config kill switch on every verdict', async () => {
      const config = { killSwitch: false };
      const state = new ControlState({
        switches: fakeSwitches(),
        knex: sqliteKnex,
        killSwitchInConfig: () => config.killSwitch,
        logger: fakeLogger(),
      });
      states.push(state);
      await state.start();
      expect(stateOfAgent(state, awake)).toBe('running');
      config.killSwitch = true;
      expect(stateOfAgent(state, awake)).toBe('gateway-stopped');
    });
  });

  describe('run-time switches', () => {
    it('stops the gateway or one agent, saying who and why', async () => {
      const switches = fakeSwitches([off('sleepy', 'user:default/bob')]);
      const { state } = stateOf(switches);
      await state.start();
      expect(state.verdict(sleepy)).toEqual({
        state: 'agent-disabled',
        by: 'user:default/bob',
        reason: 'sleepy misbehaved',
      });
      expect(stateOfAgent(state, awake)).toBe('running');

      switches.rows = [off('sleepy'), off('*', 'ops-bot')];
      await jest.advanceTimersByTimeAsync(POLL_MS);
      expect(state.verdict(awake)).toEqual({
        state: 'gateway-stopped',
        by: 'ops-bot',
        reason: '* misbehaved',
      });
    });

    it('applies a local change at once, before any re-read', async () => {
      const switches = fakeSwitches();
      const { state } = stateOf(switches);
      await state.start();
      state.apply(off('sleepy'));
      expect(stateOfAgent(state, sleepy)).toBe('agent-disabled');
      state.apply(on('sleepy'));
      expect(stateOfAgent(state, sleepy)).toBe('running');
    });

    it('does not let a read that started before a local change undo it', async () => {
      const switches = fakeSwitches();
      const { state } = stateOf(switches);
      await state.start();

      let finishStaleRead!: (rows: ControlSwitch[]) => void;
      switches.readAll.mockImplementationOnce(
        () => new Promise(resolve => (finishStaleRead = resolve)),
      );
      await jest.advanceTimersByTimeAsync(POLL_MS); // the slow read starts
      state.apply(off('sleepy'));
      switches.rows = [off('sleepy')]; // committed before apply() was called
      finishStaleRead([]);
      await jest.advanceTimersByTimeAsync(0);

      expect(stateOfAgent(state, sleepy)).toBe('agent-disabled');
      // It read again rather than trusting the stale answer.
      expect(switches.readAll).toHaveBeenCalledTimes(3);
    });
  });

  describe('fail closed', () => {
    it('is unavailable before its first read', () => {
      const { state } = stateOf(fakeSwitches());
      expect(stateOfAgent(state, awake)).toBe('unavailable');
    });

    it('starts without throwing when the first read fails, and retries before the next poll', async () => {
      const switches = fakeSwitches();
      switches.failure = new Error('no such table: control_switches');
      const { state, logger } = stateOf(switches);
      await expect(state.start()).resolves.toBeUndefined();
      expect(stateOfAgent(state, awake)).toBe('unavailable');
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringContaining('no such table: control_switches'),
      );

      // Retries back off from 250 ms: 250, 500 (then 1000 ...).
      await jest.advanceTimersByTimeAsync(250);
      expect(switches.readAll).toHaveBeenCalledTimes(2);
      switches.failure = undefined;
      await jest.advanceTimersByTimeAsync(500);
      expect(switches.readAll).toHaveBeenCalledTimes(3);
      expect(stateOfAgent(state, awake)).toBe('running');
    });

    it('trusts a read for three poll intervals, then refuses until a read succeeds', async () => {
      const switches = fakeSwitches();
      const { state, logger } = stateOf(switches);
      await state.start();
      switches.failure = new Error('connection refused');

      await jest.advanceTimersByTimeAsync(3 * POLL_MS - 1);
      expect(stateOfAgent(state, awake)).toBe('running');
      await jest.advanceTimersByTimeAsync(1);
      expect(stateOfAgent(state, awake)).toBe('unavailable');
      await jest.advanceTimersByTimeAsync(5 * POLL_MS);
      expect(stateOfAgent(state, awake)).toBe('unavailable');

      switches.failure = undefined;
      await jest.advanceTimersByTimeAsync(POLL_MS);
      expect(stateOfAgent(state, awake)).toBe('running');

      // Each transition is logged once, not once per poll.
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.error).toHaveBeenCalledTimes(1);
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringContaining('readable again'),
      );
    });
  });

  describe('onChange', () => {
    it('names what was just switched, and what of it is now off', async () => {
      const switches = fakeSwitches([off('sleepy')]);
      const { state } = stateOf(switches);
      await state.start();
      const changes: ControlChange[] = [];
      state.onChange(change => changes.push(change));

      switches.rows = [off('sleepy'), off('grumpy'), on('awake')];
      await jest.advanceTimersByTimeAsync(POLL_MS);
      switches.rows = [off('sleepy'), off('grumpy'), off('*')];
      await jest.advanceTimersByTimeAsync(POLL_MS);
      switches.rows = [];
      await jest.advanceTimersByTimeAsync(POLL_MS);
      state.apply(off('awake'));

      expect(changes).toEqual([
        {
          stoppedAgents: ['grumpy'],
          gatewayStopped: false,
          switchedAgents: ['grumpy'],
          gatewaySwitched: false,
        },
        {
          stoppedAgents: [],
          gatewayStopped: true,
          switchedAgents: [],
          gatewaySwitched: true,
        },
        {
          stoppedAgents: [],
          gatewayStopped: false,
          switchedAgents: ['sleepy', 'grumpy'],
          gatewaySwitched: true,
        },
        {
          stoppedAgents: ['awake'],
          gatewayStopped: false,
          switchedAgents: ['awake'],
          gatewaySwitched: false,
        },
      ]);
    });

    it('stops calling a listener once unsubscribed, and survives one that throws', async () => {
      const { state, logger } = stateOf(fakeSwitches());
      await state.start();
      const failing = jest.fn(() => {
        throw new Error('boom');
      });
      const kept = jest.fn();
      const dropped = jest.fn();
      state.onChange(failing);
      state.onChange(kept);
      state.onChange(dropped)();

      state.apply(off('sleepy'));
      expect(kept).toHaveBeenCalledTimes(1);
      expect(dropped).not.toHaveBeenCalled();
      expect(logger.error).toHaveBeenCalledWith(
        expect.stringContaining('boom'),
      );
    });
  });

  describe('on PostgreSQL', () => {
    it('listens on the control channel and re-reads when notified', async () => {
      const pg = fakePostgres();
      const switches = fakeSwitches();
      const { state } = stateOf(switches, { knex: pg.knex });
      await state.start();
      expect(pg.live).toHaveLength(1);
      expect(pg.live[0].query).toHaveBeenCalledWith(
        'LISTEN mcp_gateway_control',
      );

      switches.rows = [off('sleepy')];
      pg.live[0].emit('notification', {
        channel: 'mcp_gateway_control',
        payload: 'sleepy',
      });
      await jest.advanceTimersByTimeAsync(0);
      expect(stateOfAgent(state, sleepy)).toBe('agent-disabled');
    });

    it('refuses from the moment the listener is lost until a later read succeeds', async () => {
      const pg = fakePostgres();
      const switches = fakeSwitches();
      const { state, logger } = stateOf(switches, { knex: pg.knex });
      await state.start();
      switches.failure = new Error('the database system is shutting down');
      pg.refuse = true;

      const lost = pg.live[0];
      lost.emit('error', new Error('terminating connection'));
      lost.emit('end');
      expect(stateOfAgent(state, awake)).toBe('unavailable');
      expect(lost.destroyed).toBe(true);

      // Reconnects with backoff (250, 500, 1000 ms ...) without logging each try.
      await jest.advanceTimersByTimeAsync(250 + 500 + 1000);
      expect(pg.client.acquireRawConnection).toHaveBeenCalledTimes(4);
      expect(logger.warn.mock.calls.map(([m]) => m)).toEqual([
        expect.stringContaining('Lost the PostgreSQL connection'),
        expect.stringContaining('Cannot read the kill switch state'),
      ]);

      switches.failure = undefined;
      pg.refuse = false;
      await jest.advanceTimersByTimeAsync(2000);
      expect(pg.live).toHaveLength(1);
      expect(stateOfAgent(state, awake)).toBe('running');
      expect(logger.info).toHaveBeenCalledWith(
        'Reconnected to PostgreSQL for kill switch changes',
      );
    });

    it('does not trust a read that started before the listener was lost', async () => {
      const pg = fakePostgres();
      const switches = fakeSwitches();
      const { state } = stateOf(switches, { knex: pg.knex });
      await state.start();

      let finishEarlyRead!: (rows: ControlSwitch[]) => void;
      switches.readAll.mockImplementationOnce(
        () => new Promise(resolve => (finishEarlyRead = resolve)),
      );
      switches.failure = new Error('down');
      await jest.advanceTimersByTimeAsync(POLL_MS); // the early read starts
      pg.live[0].emit('end');
      finishEarlyRead([]);
      await jest.advanceTimersByTimeAsync(0);
      expect(stateOfAgent(state, awake)).toBe('unavailable');
    });
  });

  describe('timers', () => {
    it('leaves no timer behind once stopped', async () => {
      const pg = fakePostgres();
      pg.refuse = true; // so a reconnect timer is pending too
      const { state } = stateOf(fakeSwitches(), { knex: pg.knex });
      await state.start();
      expect(jest.getTimerCount()).toBeGreaterThanOrEqual(2);
      await state.stop();
      expect(jest.getTimerCount()).toBe(0);
    });

    it('keeps no timer that would hold the process open', async () => {
      jest.useRealTimers();
      const timers = () =>
        process.getActiveResourcesInfo().filter(r => r === 'Timeout').length;
      const before = timers();
      const pg = fakePostgres();
      pg.refuse = true;
      const { state } = stateOf(fakeSwitches(), { knex: pg.knex });
      await state.start();
      expect(timers()).toBe(before);
    });
  });
});
