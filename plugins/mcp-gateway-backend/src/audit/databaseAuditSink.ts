import { Knex } from 'knex';
import { randomUUID } from 'node:crypto';
import { changesState } from '../core/operation';
import { AuditEnd, AuditEntry, AuditSink, AuditStart } from './auditRecord';
import {
  AUDIT_TABLE,
  AuditEndColumns,
  AuditRow,
  AuditRowContext,
  completeAuditRow,
  endColumns,
  pendingAuditRow,
} from './auditRows';
import { GroupCommit } from './groupCommit';

/**
 * Bound variables one statement may carry: SQLite builds before 3.32 allow
 * 999 (later ones 32766), PostgreSQL 65535.
 */
const SQLITE_MAX_VARIABLES = 999;
const OTHER_MAX_VARIABLES = 65_535;
/** knex puts the statement before the driver's reason for a failure. */
const KNEX_STATEMENT_PREFIX =
  /^(?:\w*Error: )?(?:insert|update|delete|select|with)\b[\s\S]*? - /i;
/** Rows the retention task deletes per statement, so no delete holds SQLite's write lock for long. */
const PURGE_CHUNK = 5_000;

/** A write's pending row and the columns that complete it. */
interface PendingEnd {
  pending: AuditRow;
  end: AuditEndColumns;
}

export interface DatabaseAuditSinkOptions {
  knex: Knex;
  /** Which backend replica writes, as records name it. */
  replica: string;
  now?: () => number;
  idOf?: () => string;
}

/**
 * Audit records in the plugin's database, committed before the caller is
 * answered. A write's record is inserted as pending before the write runs
 * and completed when it ends; anything else is inserted whole when it ends.
 * Concurrent requests share statements through group commit, each still
 * waiting for its own. Every failure to write throws, so the corridor can
 * refuse or withhold.
 */
export class DatabaseAuditSink implements AuditSink {
  private readonly knex: Knex;
  private readonly replica: string;
  private readonly now: () => number;
  private readonly idOf: () => string;
  private readonly inserts: GroupCommit<AuditRow>;
  private readonly ends: GroupCommit<PendingEnd>;

  constructor(options: DatabaseAuditSinkOptions) {
    this.knex = options.knex;
    this.replica = options.replica;
    this.now = options.now ?? Date.now;
    this.idOf = options.idOf ?? randomUUID;
    this.inserts = new GroupCommit(rows => this.insertRows(rows));
    this.ends = new GroupCommit(rows => this.completeRows(rows));
  }

  async begin(start: AuditStart): Promise<AuditEntry> {
    const context: AuditRowContext = {
      id: this.idOf(),
      createdAt: this.now(),
      replica: this.replica,
    };
    const access = start.operation?.access;
    if (access !== undefined && changesState(access)) {
      const pending = pendingAuditRow(start, context);
      await written(this.inserts.submit(pending));
      return this.entry(end =>
        this.ends.submit({ pending, end: endColumns(end) }),
      );
    }
    return this.entry(end =>
      this.inserts.submit(completeAuditRow(start, context, end)),
    );
  }

  /** Deletes records admitted before this time; says how many. */
  async purgeBefore(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.knex(AUDIT_TABLE)
        .whereIn(
          'id',
          this.knex(AUDIT_TABLE)
            .select('id')
            .where('created_at', '<', before)
            .limit(PURGE_CHUNK),
        )
        .delete();
      total += deleted;
      if (deleted < PURGE_CHUNK) return total;
    }
  }

  /**
   * An entry ends once: a second end would write a second row (or
   * overwrite the first outcome), so it is refused. An end that failed may
   * be tried again.
   */
  private entry(write: (end: AuditEnd) => Promise<void>): AuditEntry {
    let state: 'open' | 'ending' | 'ended' = 'open';
    return {
      end: async end => {
        if (state !== 'open') {
          throw new Error('This audit record has already ended');
        }
        state = 'ending';
        try {
          await written(write(end));
          state = 'ended';
        } catch (error) {
          state = 'open';
          throw error;
        }
      },
    };
  }

  /** One statement per group where the engine allows, all in one transaction. */
  private async insertRows(rows: AuditRow[]) {
    const chunks = chunked(rows, this.rowsPerStatement(rows[0]));
    if (chunks.length === 1) {
      await this.knex(AUDIT_TABLE).insert(chunks[0]);
      return;
    }
    await this.knex.transaction(async trx => {
      for (const chunk of chunks) await trx(AUDIT_TABLE).insert(chunk);
    });
  }

  /**
   * Completes pending rows, a group in one transaction. A row that is gone
   * (purged under a very long write) is written whole, so no end is lost.
   */
  private async completeRows(items: PendingEnd[]) {
    await this.knex.transaction(async trx => {
      for (const { pending, end } of items) {
        const updated = await trx(AUDIT_TABLE)
          .where({ id: pending.id })
          .update(end);
        if (updated === 0) {
          await trx(AUDIT_TABLE).insert({ ...pending, ...end });
        }
      }
    });
  }

  private rowsPerStatement(row: AuditRow) {
    // better-sqlite3's client inherits the `sqlite3` dialect.
    const variables = /sqlite/i.test(this.knex.client.dialect ?? '')
      ? SQLITE_MAX_VARIABLES
      : OTHER_MAX_VARIABLES;
    return Math.max(1, Math.floor(variables / Object.keys(row).length));
  }
}

function chunked<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

/** A database failure, said as what it means for the record. */
async function written(write: Promise<void>): Promise<void> {
  try {
    await write;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const cause = message.replace(KNEX_STATEMENT_PREFIX, '');
    throw new Error(`The audit record could not be written: ${cause}`, {
      cause: error,
    });
  }
}
