import { EventEmitter } from 'node:events';
import { Knex } from 'knex';
import { isPostgres, PostgresNotifications } from './postgresNotifications';

// The connection life cycle against a fake knex client; the real
// PostgreSQL path runs in controlState.test.ts and controlSwitches.test.ts.

class FakeConnection extends EventEmitter {
  query = jest.fn(async (_sql: string) => ({}));
}

function fakeKnex(dialect = 'postgresql') {
  const destroyed: FakeConnection[] = [];
  const client = {
    dialect,
    connectionSettings: {},
    acquireRawConnection: jest.fn(
      async (): Promise<FakeConnection> => new FakeConnection(),
    ),
    destroyRawConnection: jest.fn(async (connection: FakeConnection) => {
      destroyed.push(connection);
    }),
  };
  return { knex: { client } as unknown as Knex, client, destroyed };
}

function listenerOn(knex: Knex, options: { connectTimeoutMs?: number } = {}) {
  const heard: string[] = [];
  const statuses: string[] = [];
  const listener = new PostgresNotifications({
    knex,
    channel: 'mcp_gateway_control',
    onNotification: payload => heard.push(payload),
    onStatus: status => statuses.push(status),
    ...options,
  });
  return { listener, heard, statuses };
}

describe('PostgresNotifications', () => {
  beforeEach(() => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'queueMicrotask'] });
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('tells PostgreSQL from other engines', () => {
    expect(isPostgres(fakeKnex().knex)).toBe(true);
    expect(isPostgres(fakeKnex('sqlite3').knex)).toBe(false);
  });

  it('does nothing on SQLite', async () => {
    const { knex, client } = fakeKnex('sqlite3');
    const { listener, statuses } = listenerOn(knex);
    await listener.start();
    expect(client.acquireRawConnection).not.toHaveBeenCalled();
    expect(listener.connected).toBe(false);
    expect(statuses).toEqual([]);
    await listener.stop();
  });

  it('passes on notifications of its own channel only', async () => {
    const { knex, client } = fakeKnex();
    const { listener, heard, statuses } = listenerOn(knex);
    await listener.start();
    const connection: FakeConnection =
      await client.acquireRawConnection.mock.results[0].value;
    expect(connection.query).toHaveBeenCalledWith('LISTEN mcp_gateway_control');
    expect(statuses).toEqual(['connected']);

    connection.emit('notification', {
      channel: 'mcp_gateway_control',
      payload: 'sleepy',
    });
    connection.emit('notification', { channel: 'other', payload: 'x' });
    expect(heard).toEqual(['sleepy']);
    await listener.stop();
  });

  it('lets the pool resolve a connection provider before its first raw connection', async () => {
    const { knex, client } = fakeKnex();
    const pooled: string[] = [];
    Object.assign(knex, {
      raw: jest.fn(async (sql: string) => {
        pooled.push(sql);
        // What knex's pool does on create: ask the provider, keep the answer.
        Object.assign(client, { connectionSettings: { host: 'db' } });
      }),
    });
    Object.assign(client, { connectionSettings: undefined });
    const { listener, statuses } = listenerOn(knex);
    await listener.start();
    expect(pooled).toEqual(['select 1']);
    expect(statuses).toEqual(['connected']);
    await listener.stop();
  });

  it('rejects a channel that is not a plain identifier', () => {
    expect(
      () =>
        new PostgresNotifications({
          knex: fakeKnex().knex,
          channel: 'x; drop table y',
          onNotification: () => {},
          onStatus: () => {},
        }),
    ).toThrow("Invalid notification channel 'x; drop table y'");
  });

  it('gives up on an attempt that hangs, and closes its connection when it arrives', async () => {
    const { knex, client, destroyed } = fakeKnex();
    let arrive!: (connection: FakeConnection) => void;
    client.acquireRawConnection.mockImplementationOnce(
      () => new Promise(resolve => (arrive = resolve)),
    );
    const { listener, statuses } = listenerOn(knex, { connectTimeoutMs: 100 });
    const starting = listener.start();
    await jest.advanceTimersByTimeAsync(100);
    await starting;
    expect(statuses).toEqual(['lost']);

    const late = new FakeConnection();
    arrive(late);
    await jest.advanceTimersByTimeAsync(0);
    expect(destroyed).toContain(late);

    await jest.advanceTimersByTimeAsync(250); // the retry
    expect(statuses).toEqual(['lost', 'connected']);
    await listener.stop();
  });

  it('closes a connection that arrives after stop, and stops retrying', async () => {
    const { knex, client, destroyed } = fakeKnex();
    client.acquireRawConnection.mockRejectedValueOnce(new Error('refused'));
    const { listener, statuses } = listenerOn(knex);
    await listener.start();
    expect(statuses).toEqual(['lost']);

    let arrive!: (connection: FakeConnection) => void;
    client.acquireRawConnection.mockImplementationOnce(
      () => new Promise(resolve => (arrive = resolve)),
    );
    await jest.advanceTimersByTimeAsync(250); // the retry starts and waits
    const stopping = listener.stop();
    const late = new FakeConnection();
    arrive(late);
    await stopping;
    expect(destroyed).toContain(late);
    expect(listener.connected).toBe(false);

    await jest.advanceTimersByTimeAsync(60_000);
    expect(client.acquireRawConnection).toHaveBeenCalledTimes(2);
    expect(statuses).toEqual(['lost']);
  });
});
