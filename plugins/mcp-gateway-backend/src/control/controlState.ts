import { LoggerService } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { AgentConfig } from '../config/gatewayConfig';
import { adminText } from './adminText';
import { ControlVerdict } from './controlVerdict';
import {
  CONTROL_CHANNEL,
  ControlSwitch,
  ControlSwitches,
  GATEWAY_TARGET,
} from './controlSwitches';
import {
  isPostgres,
  ListenerStatus,
  PostgresNotifications,
} from './postgresNotifications';

export type { ControlVerdict };

/**
 * What has just been switched: what was switched off, so its in-flight
 * calls can be cut, and everything switched either way, so what clients
 * were shown of it can be invalidated.
 */
export interface ControlChange {
  /** Agents disabled since the last change. */
  stoppedAgents: string[];
  /** Whether the gateway has just been stopped. */
  gatewayStopped: boolean;
  /** Agents disabled or enabled since the last change. */
  switchedAgents: string[];
  /** Whether the gateway has just been stopped or started again. */
  gatewaySwitched: boolean;
}

export interface ControlStateOptions {
  /** Only read here; admin routes write through ControlSwitches.set. */
  switches: Pick<ControlSwitches, 'readAll'>;
  knex: Knex;
  /** `mcpGateway.killSwitch`, read on every verdict: a config reload may change it. */
  killSwitchInConfig: () => boolean;
  logger: LoggerService;
  /** The safety-net re-read; the only mechanism on SQLite. Default 5000. */
  pollIntervalMs?: number;
  now?: () => number;
}

const DEFAULT_POLL_INTERVAL_MS = 5000;
/** A state older than this many poll intervals is not trusted. */
const FRESH_FOR_POLLS = 3;
/** Retries of a failed read: from this delay, doubling up to the last. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5000;

/**
 * This replica's view of the kill switches: config first, then the run-time
 * switches from the database, kept current by PostgreSQL notifications and a
 * periodic re-read. When it cannot vouch for the state it answers
 * `unavailable`, and the gateway refuses every call (fail closed).
 */
export class ControlState {
  private switches = new Map<string, ControlSwitch>();
  /** When the last applied read started: the state is as of then. */
  private lastReadAt?: number;
  /** The listener was lost, and no read has started since. */
  private lost = false;
  private losses = 0;
  /** Bumped by every local `apply`, so a read that may predate it is not applied. */
  private generation = 0;
  private reading?: Promise<void>;
  private queued?: Promise<void>;
  private readFailing = false;
  /** Why the state is in doubt: the last read failure or listener loss. */
  private lastError?: unknown;
  private wasAvailable?: boolean;
  private pollTimer?: NodeJS.Timeout;
  /** After a failed read: try again sooner than the next poll. */
  private retryTimer?: NodeJS.Timeout;
  private retryDelayMs = FIRST_RETRY_MS;
  private notifications?: PostgresNotifications;
  private stopped = false;
  private readonly changeListeners = new Set<(change: ControlChange) => void>();
  private readonly pollIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: ControlStateOptions) {
    this.pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /**
   * Listens (on PostgreSQL), reads once and starts polling. Never throws: a
   * failed first read leaves the state unavailable until a read succeeds.
   */
  async start(): Promise<void> {
    if (isPostgres(this.options.knex)) {
      this.notifications = new PostgresNotifications({
        knex: this.options.knex,
        channel: CONTROL_CHANNEL,
        onNotification: () => void this.refresh(),
        onStatus: (status, error) => this.listenerStatus(status, error),
      });
      await this.notifications.start();
    }
    await this.refresh();
    if (this.stopped) return;
    this.pollTimer = setInterval(
      () => void this.refresh(),
      this.pollIntervalMs,
    );
    this.pollTimer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    this.pollTimer = undefined;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.notifications?.stop();
    await this.queued;
    await this.reading;
  }

  verdict(agent: AgentConfig): ControlVerdict {
    // Config wins: what config switches off, no run-time switch turns on.
    if (this.options.killSwitchInConfig()) {
      return { state: 'gateway-stopped', by: 'config' };
    }
    if (!agent.enabled) {
      return { state: 'agent-disabled', by: 'config' };
    }
    if (!this.noteAvailability()) {
      return { state: 'unavailable' };
    }
    const gateway = this.switches.get(GATEWAY_TARGET);
    if (gateway?.off) {
      return { state: 'gateway-stopped', ...attribution(gateway) };
    }
    const own = this.switches.get(agent.id);
    if (own?.off) {
      return { state: 'agent-disabled', ...attribution(own) };
    }
    return { state: 'running' };
  }

  /** Called when an agent or the gateway is switched off or on; returns an unsubscribe. */
  onChange(listener: (change: ControlChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => {
      this.changeListeners.delete(listener);
    };
  }

  /**
   * A switch this replica has just set: takes effect here at once, before
   * any notification or re-read.
   */
  apply(change: ControlSwitch): void {
    this.generation += 1;
    const next = new Map(this.switches);
    next.set(change.target, change);
    this.replace(next);
  }

  /** Is the state read, fresh, and not in doubt since a lost listener? */
  private isAvailable(): boolean {
    return (
      this.lastReadAt !== undefined &&
      !this.lost &&
      this.now() - this.lastReadAt < FRESH_FOR_POLLS * this.pollIntervalMs
    );
  }

  /** A read that starts after this call; concurrent requests share one. */
  private refresh(): Promise<void> {
    if (!this.reading) {
      this.reading = this.readOnce().finally(() => {
        this.reading = undefined;
      });
      return this.reading;
    }
    this.queued ??= this.reading.then(() => {
      this.queued = undefined;
      return this.refresh();
    });
    return this.queued;
  }

  private async readOnce(): Promise<void> {
    if (this.stopped) return;
    const startedAt = this.now();
    const generation = this.generation;
    const losses = this.losses;
    let rows: ControlSwitch[];
    try {
      rows = await this.options.switches.readAll();
    } catch (error) {
      this.readFailed(error);
      return;
    }
    if (this.stopped) return;
    if (generation !== this.generation) {
      // A local change landed while reading; this read may predate it.
      void this.refresh();
      return;
    }
    this.replace(new Map(rows.map(row => [row.target, row])));
    this.lastReadAt = startedAt;
    if (losses === this.losses) this.lost = false;
    this.readFailing = false;
    if (!this.lost) this.lastError = undefined;
    this.retryDelayMs = FIRST_RETRY_MS;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.noteAvailability();
  }

  private readFailed(error: unknown) {
    if (this.stopped) return;
    this.lastError = error;
    if (!this.readFailing) {
      this.readFailing = true;
      this.options.logger.warn(
        `Cannot read the kill switch state: ${messageOf(error)}`,
      );
    }
    this.noteAvailability();
    this.scheduleRetry();
  }

  /** Keeps trying, backing off up to the poll interval, until a read succeeds. */
  private scheduleRetry() {
    if (this.retryTimer || this.stopped) return;
    const delay = Math.min(this.retryDelayMs, this.pollIntervalMs);
    this.retryDelayMs = Math.min(this.retryDelayMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      void this.refresh();
    }, delay);
    this.retryTimer.unref();
  }

  private listenerStatus(status: ListenerStatus, error?: Error) {
    if (status === 'lost') {
      this.lost = true;
      this.lastError = error;
      this.losses += 1;
      this.options.logger.warn(
        `Lost the PostgreSQL connection that hears kill switch changes (${messageOf(
          error,
        )}); re-reading the state and reconnecting`,
      );
      this.noteAvailability();
    } else if (this.losses > 0) {
      this.options.logger.info(
        'Reconnected to PostgreSQL for kill switch changes',
      );
    }
    // Notifications sent while not listening are missed either way.
    void this.refresh();
  }

  /**
   * Is the state available? Logs when that changes, once each way: on
   * reads and listener events, and on a verdict (the state also goes stale
   * between events).
   */
  private noteAvailability(): boolean {
    const available = this.isAvailable();
    if (available === this.wasAvailable) return available;
    const first = this.wasAvailable === undefined;
    this.wasAvailable = available;
    if (!available) {
      this.options.logger.error(
        `The kill switch state is unavailable${
          this.lastError ? ` (${messageOf(this.lastError)})` : ''
        }; refusing every call until it can be read (fail closed)`,
      );
    } else if (!first) {
      this.options.logger.info(
        'The kill switch state is readable again; calls are decided as usual',
      );
    }
    return available;
  }

  /** Takes a new set of switches; logs and announces what it changes. */
  private replace(next: Map<string, ControlSwitch>) {
    const before = this.switches;
    this.switches = next;
    const change: ControlChange = {
      stoppedAgents: [],
      gatewayStopped: false,
      switchedAgents: [],
      gatewaySwitched: false,
    };
    const targets = new Set([...before.keys(), ...next.keys()]);
    for (const target of targets) {
      const was = before.get(target)?.off ?? false;
      const is = next.get(target)?.off ?? false;
      if (was === is) continue;
      this.logSwitch(target, next.get(target));
      if (target === GATEWAY_TARGET) {
        change.gatewaySwitched = true;
        change.gatewayStopped = is;
      } else {
        change.switchedAgents.push(target);
        if (is) change.stoppedAgents.push(target);
      }
    }
    if (change.switchedAgents.length > 0 || change.gatewaySwitched) {
      this.announce(change);
    }
  }

  private logSwitch(target: string, change: ControlSwitch | undefined) {
    const gateway = target === GATEWAY_TARGET;
    const what = gateway ? 'The MCP gateway' : `Agent '${target}'`;
    const verbs = gateway
      ? { off: 'was stopped', on: 'was started again' }
      : { off: 'was disabled', on: 'was enabled' };
    const verb = change?.off ? verbs.off : verbs.on;
    const by = adminText(change?.changedBy ?? 'unknown');
    const reason = change?.reason ? `: ${adminText(change.reason)}` : '';
    this.options.logger.info(`${what} ${verb} by ${by} at run time${reason}`);
  }

  private announce(change: ControlChange) {
    for (const listener of this.changeListeners) {
      try {
        listener(change);
      } catch (error) {
        this.options.logger.error(
          `A kill switch change listener failed: ${messageOf(error)}`,
        );
      }
    }
  }
}

function attribution(change: ControlSwitch) {
  return {
    by: change.changedBy,
    ...(change.reason !== undefined && { reason: change.reason }),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
