import { Knex } from 'knex';
import { millisOf } from '../database/gatewayDatabase';
import { isPostgres } from './postgresNotifications';

const TABLE = 'control_switches';

/** The switch target that stops the whole gateway; any other target is an agent id. */
export const GATEWAY_TARGET = '*';

/** The PostgreSQL channel a change is announced on; its payload is the target. */
export const CONTROL_CHANNEL = 'mcp_gateway_control';

/** One kill switch as an admin last set it at run time. */
export interface ControlSwitch {
  /** `*` for the whole gateway, else an agent id. */
  target: string;
  /** Stopped (the gateway) or disabled (an agent). */
  off: boolean;
  reason?: string;
  changedBy: string;
  /** ISO 8601. */
  changedAt: string;
}

interface SwitchRow {
  target: string;
  off: boolean | number;
  reason: string | null;
  changed_by: string;
  changed_at: string | number;
}

/**
 * The run-time kill switches, shared by every replica through the plugin's
 * database. Config switches (`enabled: false`, `killSwitch: true`) are not
 * stored here: they come from config and win over these.
 */
export class ControlSwitches {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  async readAll(): Promise<ControlSwitch[]> {
    const rows: SwitchRow[] = await this.knex(TABLE)
      .select('target', 'off', 'reason', 'changed_by', 'changed_at')
      .orderBy('target');
    return rows.map(switchOf);
  }

  /**
   * Sets one switch (an upsert). On PostgreSQL the change is announced in
   * the same transaction, so listeners hear of it only once it is committed
   * and their re-read sees it.
   */
  async set(change: {
    target: string;
    off: boolean;
    reason?: string;
    changedBy: string;
  }): Promise<ControlSwitch> {
    const row: SwitchRow = {
      target: change.target,
      off: change.off,
      reason: change.reason ?? null,
      changed_by: change.changedBy,
      changed_at: this.now(),
    };
    await this.knex.transaction(async trx => {
      await trx(TABLE).insert(row).onConflict('target').merge();
      if (isPostgres(this.knex)) {
        await trx.raw('select pg_notify(?, ?)', [CONTROL_CHANNEL, row.target]);
      }
    });
    return switchOf(row);
  }
}

function switchOf(row: SwitchRow): ControlSwitch {
  return {
    target: row.target,
    // SQLite stores booleans as 0 and 1.
    off: Boolean(row.off),
    ...(row.reason !== null && { reason: row.reason }),
    changedBy: row.changed_by,
    changedAt: new Date(millisOf(row.changed_at)!).toISOString(),
  };
}
