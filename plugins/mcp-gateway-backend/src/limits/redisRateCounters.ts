import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { createClient } from '@redis/client';
import { RateCounters } from './rateCounters';

const KEY_PREFIX = 'mcp-gateway:rate:';
/** How long a counter outlives its window, so clock skew between replicas cannot reset it early. */
const EXPIRY_MARGIN_MS = 60_000;

// INCR and PEXPIRE in one atomic script: a counter gets its expiry the
// moment it exists, so none can outlive a crash and live forever.
const INCREMENT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if redis.call('PTTL', KEYS[1]) < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
end
return count`;

export interface RedisRateCountersOptions {
  /** Told when Redis goes away and comes back; never told the URL. */
  logger?: LoggerService;
  /** How long an increment may wait for Redis (connecting included) before it fails. Default 1000 ms. */
  timeoutMs?: number;
}

/**
 * Counters in the Redis (or Valkey) the backend's cache uses, shared by
 * every replica. When Redis cannot answer, increments fail fast instead of
 * queueing, so the rate-limit gate refuses calls rather than hang them.
 */
export class RedisRateCounters implements RateCounters {
  private readonly client: ReturnType<typeof createClient>;
  private readonly logger?: LoggerService;
  private readonly timeoutMs: number;
  private connecting?: Promise<unknown>;
  private wasReady = false;
  private healthy = true;
  private closed = false;

  /** Connects lazily, on the first increment. */
  constructor(url: string, options: RedisRateCountersOptions = {}) {
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? 1_000;
    try {
      this.client = createClient({
        url,
        disableOfflineQueue: true,
        socket: {
          connectTimeout: this.timeoutMs,
          // The first connection fails at once (the next increment tries
          // again); once connected, reconnect in the background for ever.
          reconnectStrategy: retries =>
            this.wasReady ? Math.min(100 * (retries + 1), 2_000) : false,
        },
      });
    } catch {
      // The parser's error carries the URL, which may carry a password.
      throw new Error(
        'The Redis connection for rate limits (backend.cache.connection) is not a valid redis:// or rediss:// URL',
      );
    }
    this.client.on('ready', () => {
      this.wasReady = true;
      if (!this.healthy)
        this.logger?.info('Rate-limit counters: Redis is back');
      this.healthy = true;
    });
    this.client.on('error', (error: Error) => {
      // Reported once per outage: the client retries (and errs) every few ms.
      if (this.healthy) {
        this.logger?.warn(
          `Rate-limit counters: Redis is unavailable, so rate-limited calls are refused: ${error.message}`,
        );
      }
      this.healthy = false;
    });
  }

  async increment(bucket: string, windowStart: number, windowMs: number) {
    return this.withinTimeout(async () => {
      await this.connected();
      const count = await this.client.eval(INCREMENT_SCRIPT, {
        keys: [`${KEY_PREFIX}${bucket}:${windowStart}`],
        arguments: [String(windowMs + EXPIRY_MARGIN_MS)],
      });
      return Number(count);
    });
  }

  async close() {
    this.closed = true;
    if (!this.client.isOpen) return;
    // QUIT would wait for a connection that may never come back.
    if (this.client.isReady) await this.client.quit();
    else await this.client.disconnect();
  }

  private async connected() {
    if (this.closed) throw new Error('The rate-limit counters are closed');
    // Once open, the client reconnects by itself, and refuses commands
    // while it does (disableOfflineQueue) rather than queue them.
    if (!this.client.isOpen) {
      this.connecting ??= this.client.connect().finally(() => {
        this.connecting = undefined;
      });
    }
    await this.connecting;
  }

  /** A reply that never comes (a silent network) must not hold a call. */
  private async withinTimeout<T>(work: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(new Error(`Redis did not answer within ${this.timeoutMs} ms`)),
        this.timeoutMs,
      );
    });
    try {
      return await Promise.race([work(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/**
 * The Redis URL of the backend's cache (`backend.cache.store: redis` or
 * `valkey`, `backend.cache.connection` a URL or `{ url }`), or undefined
 * when the cache is not Redis and counters belong in the database.
 */
export function redisConnectionOf(config: Config): string | undefined {
  const store = config.getOptionalString('backend.cache.store');
  if (store !== 'redis' && store !== 'valkey') return undefined;
  const connection = config.getOptional('backend.cache.connection');
  if (typeof connection === 'string') return connection || undefined;
  return config.getOptionalString('backend.cache.connection.url') || undefined;
}
