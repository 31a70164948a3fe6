import { fakeLogger } from '../__testUtils__/unitDoubles';
import { ConfigReader } from '@backstage/config';
import { createClient } from '@redis/client';
import { randomUUID } from 'node:crypto';
import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { RedisRateCounters, redisConnectionOf } from './redisRateCounters';

const MINUTE = 60_000;
const redisUrl = process.env.MCP_GATEWAY_TEST_REDIS_URL;

if (!redisUrl) {
  if (process.env.CI) {
    // It fails by throwing, with a message that says what to set.
    // eslint-disable-next-line jest/expect-expect
    it('runs against a real Redis in CI', () => {
      throw new Error(
        'MCP_GATEWAY_TEST_REDIS_URL is not set, but CI must run the Redis tests (e.g. redis://127.0.0.1:6379)',
      );
    });
  } else {
    // eslint-disable-next-line no-console
    console.warn(
      'Redis tests skipped: set MCP_GATEWAY_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379) to run them',
    );
  }
}

const describeWithRedis = redisUrl ? describe : describe.skip;

describeWithRedis('RedisRateCounters on a real Redis', () => {
  // Unique per run, so parallel runs on one Redis never share a counter.
  const run = randomUUID();
  const bucket = (name: string) => `test-${run}-${name}`;
  const keyOf = (name: string, windowStart: number) =>
    `mcp-gateway:rate:${bucket(name)}:${windowStart}`;

  let counters: RedisRateCounters;
  const inspector = createClient({ url: redisUrl });

  beforeAll(async () => {
    counters = new RedisRateCounters(redisUrl!);
    await inspector.connect();
  });

  afterAll(async () => {
    await counters.close();
    const keys = await inspector.keys(`mcp-gateway:rate:test-${run}-*`);
    if (keys.length) await inspector.del(keys);
    await inspector.quit();
  });

  it('counts 1..n in one window', async () => {
    const counts = [];
    for (let i = 0; i < 5; i++) {
      counts.push(await counters.increment(bucket('count'), 0, MINUTE));
    }
    expect(counts).toEqual([1, 2, 3, 4, 5]);
    expect(await inspector.get(keyOf('count', 0))).toBe('5');
  });

  it('keeps buckets and windows apart', async () => {
    await counters.increment(bucket('a'), 60_000, MINUTE);
    await counters.increment(bucket('a'), 60_000, MINUTE);
    expect(await counters.increment(bucket('b'), 60_000, MINUTE)).toBe(1);
    expect(await counters.increment(bucket('a'), 120_000, MINUTE)).toBe(1);
    expect(await counters.increment(bucket('a'), 60_000, MINUTE)).toBe(3);
  });

  it('loses no update to 50 concurrent increments, also from two clients', async () => {
    const other = new RedisRateCounters(redisUrl!);
    try {
      const counts = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          (i % 2 ? other : counters).increment(bucket('busy'), 0, MINUTE),
        ),
      );
      expect([...counts].sort((x, y) => x - y)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    } finally {
      await other.close();
    }
  });

  it('gives every counter an expiry past its window, so none lives forever', async () => {
    await counters.increment(bucket('ttl'), 0, MINUTE);
    const first = await inspector.pTTL(keyOf('ttl', 0));
    expect(first).toBeGreaterThan(MINUTE);
    expect(first).toBeLessThanOrEqual(2 * MINUTE);

    // A counter that somehow lost its expiry gets it back on the next call.
    await inspector.persist(keyOf('ttl', 0));
    expect(await inspector.pTTL(keyOf('ttl', 0))).toBe(-1);
    expect(await counters.increment(bucket('ttl'), 0, MINUTE)).toBe(2);
    expect(await inspector.pTTL(keyOf('ttl', 0))).toBeGreaterThan(0);
  });

  it('fails fast while Redis is away, and counts again once it is back', async () => {
    const proxy = await redisProxy(new URL(redisUrl!));
    const logger = fakeLogger();
    // A timeout far above the bound below: the failure must come from the
    // client refusing to queue, not from the timeout.
    const flaky = new RedisRateCounters(`redis://127.0.0.1:${proxy.port}`, {
      logger,
      timeoutMs: 10_000,
    });
    try {
      expect(await flaky.increment(bucket('flaky'), 0, MINUTE)).toBe(1);

      await proxy.stop();
      // Once the client has noticed, and is trying to reconnect:
      for (let i = 0; i < 50 && !logger.warn.mock.calls.length; i++) {
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      await new Promise(resolve => setTimeout(resolve, 100));
      const started = Date.now();
      await expect(
        flaky.increment(bucket('flaky'), 0, MINUTE),
      ).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(500);
      expect(logger.warn).toHaveBeenCalledTimes(1);

      await proxy.start();
      let count: number | undefined;
      for (let i = 0; i < 50 && count === undefined; i++) {
        await new Promise(resolve => setTimeout(resolve, 100));
        count = await flaky
          .increment(bucket('flaky'), 0, MINUTE)
          .catch(() => undefined);
      }
      expect(count).toBe(2);
      expect(logger.info).toHaveBeenCalledWith(
        'Rate-limit counters: Redis is back',
      );
    } finally {
      await flaky.close();
      await proxy.stop();
    }
  });

  it('fails an increment after close instead of reconnecting', async () => {
    const closing = new RedisRateCounters(redisUrl!);
    expect(await closing.increment(bucket('closed'), 0, MINUTE)).toBe(1);
    await closing.close();
    await expect(
      closing.increment(bucket('closed'), 0, MINUTE),
    ).rejects.toThrow('closed');
  });
});

describe('RedisRateCounters without a Redis', () => {
  it('rejects at once when Redis is unreachable, and again on the next call', async () => {
    const logger = fakeLogger();
    const counters = new RedisRateCounters('redis://:s3cret@127.0.0.1:1', {
      logger,
    });
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        const started = Date.now();
        await expect(counters.increment('a', 0, MINUTE)).rejects.toThrow();
        expect(Date.now() - started).toBeLessThan(500);
      }
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(logger.warn.mock.calls)).not.toContain('s3cret');
    } finally {
      await counters.close();
    }
  });

  it('gives up on a Redis that does not answer within the timeout', async () => {
    // A listening socket that never speaks: connecting succeeds, replies never come.
    const sockets: Socket[] = [];
    const silent = createServer(socket => sockets.push(socket));
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const counters = new RedisRateCounters(`redis://127.0.0.1:${port}`, {
      timeoutMs: 300,
    });
    try {
      const started = Date.now();
      await expect(counters.increment('a', 0, MINUTE)).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await counters.close();
      sockets.forEach(socket => socket.destroy());
      await new Promise(resolve => silent.close(resolve));
    }
  });

  it('does not repeat the URL, which may carry a password, when it is invalid', () => {
    expect(() => new RedisRateCounters('http://:s3cret@host')).toThrow(
      'The Redis connection for rate limits (backend.cache.connection) is not a valid redis:// or rediss:// URL',
    );
    let message = '';
    try {
      // eslint-disable-next-line no-new
      new RedisRateCounters('not a url :s3cret');
    } catch (error) {
      message = JSON.stringify(error) + String(error);
    }
    expect(message).not.toBe('');
    expect(message).not.toContain('s3cret');
  });
});

describe('redisConnectionOf', () => {
  const of = (cache?: object) =>
    redisConnectionOf(new ConfigReader(cache ? { backend: { cache } } : {}));

  it('reads a connection URL string', () => {
    expect(of({ store: 'redis', connection: 'redis://r:6379' })).toBe(
      'redis://r:6379',
    );
    expect(of({ store: 'valkey', connection: 'redis://v:6379' })).toBe(
      'redis://v:6379',
    );
  });

  it('reads the url of a connection object', () => {
    expect(
      of({
        store: 'redis',
        connection: { url: 'rediss://r:6380', pingInterval: 1000 },
      }),
    ).toBe('rediss://r:6380');
  });

  it('is undefined when the cache is not Redis', () => {
    expect(of()).toBeUndefined();
    expect(of({ store: 'memory' })).toBeUndefined();
    expect(
      of({ store: 'memcache', connection: 'memcache://m:11211' }),
    ).toBeUndefined();
    expect(of({ store: 'redis' })).toBeUndefined();
  });
});

/** A TCP proxy to Redis that can be stopped and started on the same port. */
async function redisProxy(target: URL) {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  };
  let server: Server | undefined;
  let port = 0;
  const start = () =>
    new Promise<void>(resolve => {
      server = createServer(client => {
        const upstream = connect(Number(target.port || 6379), target.hostname);
        track(client);
        track(upstream);
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  const stop = async () => {
    if (!server) return;
    const closing = server;
    server = undefined;
    sockets.forEach(socket => socket.destroy());
    await new Promise(resolve => closing.close(resolve));
  };
  await start();
  return { port, start, stop };
}
