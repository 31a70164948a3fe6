import { Knex } from 'knex';

/** Does this knex talk to PostgreSQL (the only engine with LISTEN/NOTIFY)? */
export function isPostgres(knex: Knex): boolean {
  return knex.client.dialect === 'postgresql';
}

export type ListenerStatus = 'connected' | 'lost';

export interface PostgresNotificationsOptions {
  knex: Knex;
  /** A plain lowercase identifier, e.g. `mcp_gateway_control`. */
  channel: string;
  onNotification(payload: string): void;
  /**
   * `connected` once LISTEN is in place (first time and after each
   * reconnect); `lost` once when the connection fails or ends, or the first
   * attempt fails. Notifications sent in between are missed: re-read on both.
   */
  onStatus(status: ListenerStatus, error?: Error): void;
  /** Reconnect delays: the first, doubling up to the last. */
  backoff?: { initialMs: number; maxMs: number };
  /** A connect attempt that takes longer fails (a silent network hangs otherwise). */
  connectTimeoutMs?: number;
}

/** The part of a `pg` Client this file uses (pg is knex's driver, not our dependency). */
interface PgConnection {
  query(sql: string): Promise<unknown>;
  on(
    event: 'notification',
    listener: (message: { channel: string; payload?: string }) => void,
  ): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
}

const DEFAULT_BACKOFF = { initialMs: 250, maxMs: 5000 };
const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * LISTENs on one channel through a dedicated connection of the given knex
 * (outside its pool: a pooled connection would be handed to other queries),
 * and keeps reconnecting with backoff until stopped. On any other engine
 * it does nothing.
 */
export class PostgresNotifications {
  private connection?: PgConnection;
  private retryTimer?: NodeJS.Timeout;
  private delayMs: number;
  private stopped = false;
  /** Has `lost` been reported since the last `connected`? */
  private lossReported = false;
  private attempt?: Promise<void>;

  constructor(private readonly options: PostgresNotificationsOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) {
      throw new Error(`Invalid notification channel '${options.channel}'`);
    }
    this.delayMs = this.backoff.initialMs;
  }

  /** Is LISTEN in place right now? */
  get connected(): boolean {
    return this.connection !== undefined;
  }

  /** Resolves after the first connect attempt, whether it succeeded or not. */
  async start(): Promise<void> {
    if (!isPostgres(this.options.knex) || this.stopped) return;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.attempt;
    const connection = this.connection;
    this.connection = undefined;
    if (connection) await this.destroy(connection);
  }

  private get backoff() {
    return this.options.backoff ?? DEFAULT_BACKOFF;
  }

  private connect(): Promise<void> {
    this.attempt = this.tryConnect().finally(() => {
      this.attempt = undefined;
    });
    return this.attempt;
  }

  private async tryConnect(): Promise<void> {
    const { knex } = this.options;
    const timeoutMs =
      this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let acquiring: Promise<PgConnection> | undefined;
    let connection: PgConnection | undefined;
    try {
      if (!knex.client.connectionSettings) {
        // A connection provider (e.g. cloud tokens) has not been asked yet;
        // the pool asks it when it opens a connection.
        await withTimeout(knex.raw('select 1'), timeoutMs);
      }
      acquiring = knex.client.acquireRawConnection() as Promise<PgConnection>;
      connection = await withTimeout(acquiring, timeoutMs);
      const current = connection;
      current.on('notification', message => {
        if (message.channel === this.options.channel) {
          this.options.onNotification(message.payload ?? '');
        }
      });
      current.on('error', error => this.lose(current, error));
      current.on('end', () =>
        this.lose(current, new Error('The connection ended')),
      );
      await withTimeout(
        current.query(`LISTEN ${this.options.channel}`),
        timeoutMs,
      );
    } catch (error) {
      // A connection that arrives after its timeout must still be closed.
      acquiring?.then(late => this.destroy(late)).catch(() => {});
      this.retry(asError(error));
      return;
    }
    if (this.stopped) {
      await this.destroy(connection);
      return;
    }
    this.connection = connection;
    this.delayMs = this.backoff.initialMs;
    this.lossReported = false;
    this.options.onStatus('connected');
  }

  /** The connection in use failed or ended: say so once, then reconnect. */
  private lose(connection: PgConnection, error: Error) {
    if (this.connection !== connection) return; // not (or no longer) in use
    this.connection = undefined;
    this.destroy(connection).catch(() => {});
    this.retry(error);
  }

  /** Schedules the next attempt; reports `lost` once, not on every failed retry. */
  private retry(error: Error) {
    if (this.stopped) return;
    if (!this.lossReported) {
      this.lossReported = true;
      this.options.onStatus('lost', error);
    }
    const delay = this.delayMs;
    this.delayMs = Math.min(this.delayMs * 2, this.backoff.maxMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopped) this.connect().catch(() => {});
    }, delay);
    this.retryTimer.unref();
  }

  private async destroy(connection: PgConnection) {
    try {
      await this.options.knex.client.destroyRawConnection(connection);
    } catch {
      // Already gone: nothing left to close.
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`No answer within ${ms} ms`)),
      ms,
    );
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
