import { InputError } from '@backstage/errors';
import { AuditCounts } from '@mcp-gateway/plugin-mcp-gateway-common';
import { Knex } from 'knex';
import { z } from 'zod';
import { millisOf } from '../database/gatewayDatabase';
import {
  ActivitySpan,
  AgentActivityDetail,
  agentActivityOf,
} from './agentActivity';
import {
  AUDIT_TABLE,
  AuditRecordView,
  auditRecordViewOf,
  StoredAuditRow,
} from './auditRows';

/** Which records to return; every field narrows. Times in ms since the epoch. */
export interface AuditFilter {
  agent?: string;
  /** The on-behalf-of user. */
  user?: string;
  /** The operation's name (a tool name). */
  tool?: string;
  decision?: string;
  reason?: string;
  outcome?: string;
  /** Admitted at or after this time. */
  since?: number;
  /** Admitted at or before this time. */
  until?: number;
  /** Only records of these kinds (any of them); absent: every record. */
  kind?: AuditKind[];
}

/**
 * What a record is of: an MCP request, a read of the admin API (its GET
 * routes), or any other admin request (changes, unknown routes). The
 * admin page reads every few seconds, so its reads are worth leaving out.
 */
export const AUDIT_KINDS = ['mcp', 'admin-read', 'admin-change'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** The admin API records its requests as `admin: <route>` (adminRoute.ts). */
const ADMIN_METHODS = 'admin:%';
const ADMIN_READS = 'admin: GET %';

/** An agent's recent calls, as the admin API's agent list shows them. */
export interface AgentActivity {
  /** The newest record of the agent (ISO 8601), however old. */
  lastCallAt?: string;
  lastHour: AuditCounts;
  lastDay: AuditCounts;
}

export const MAX_PAGE = 500;
const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

/** A page's position: the last record it returned, in the order pages run. */
const positionSchema = z.strictObject({
  t: z.number().int().nonnegative(),
  i: z.string().min(1).max(36),
});
type Position = z.infer<typeof positionSchema>;

/**
 * Reads the audit trail for the admin API, newest first. Pages are keyed on
 * (time, id), so records written while someone pages neither repeat nor
 * shift a page, and the cursor is the last position, opaque to callers.
 */
export class AuditQuery {
  constructor(private readonly knex: Knex) {}

  async list(
    filter: AuditFilter,
    page: { limit: number; cursor?: string },
  ): Promise<{ records: AuditRecordView[]; nextCursor?: string }> {
    const limit = Math.min(Math.max(Math.trunc(page.limit) || 1, 1), MAX_PAGE);
    const after =
      page.cursor === undefined ? undefined : decodeCursor(page.cursor);
    const rows = await this.page(filter, limit + 1, after);
    const records = rows.slice(0, limit);
    const last = records[records.length - 1];
    return {
      records: records.map(auditRecordViewOf),
      ...(rows.length > limit && {
        nextCursor: encodeCursor(positionOf(last)),
      }),
    };
  }

  /** Every matching record, newest first, read a page at a time. */
  async *export(filter: AuditFilter): AsyncIterable<AuditRecordView> {
    let after: Position | undefined;
    for (;;) {
      const rows = await this.page(filter, MAX_PAGE, after);
      for (const row of rows) yield auditRecordViewOf(row);
      if (rows.length < MAX_PAGE) return;
      after = positionOf(rows[rows.length - 1]);
    }
  }

  /**
   * Calls and refusals per agent over the hour and the day before `now`,
   * and each agent's newest record however old. Two reads: a range of the
   * time index for the counts, and the agent index alone for the newest.
   */
  async activity(now: number): Promise<Map<string, AgentActivity>> {
    const hourStart = now - HOUR_MS;
    const refused = "decision = 'refused'";
    const sum = (condition: string, alias: string, bindings: number[] = []) =>
      this.knex.raw(`sum(case when ${condition} then 1 else 0 end) as ??`, [
        ...bindings,
        alias,
      ]);
    const [recent, newest] = await Promise.all([
      this.knex(AUDIT_TABLE)
        .select(
          'agent_id',
          this.knex.raw('count(*) as ??', ['day_calls']),
          sum(refused, 'day_refusals'),
          sum('created_at >= ?', 'hour_calls', [hourStart]),
          sum(`created_at >= ? and ${refused}`, 'hour_refusals', [hourStart]),
          this.knex.raw('max(created_at) as ??', ['last']),
        )
        .whereNotNull('agent_id')
        .where('created_at', '>=', now - DAY_MS)
        .groupBy('agent_id') as Promise<RecentActivityRow[]>,
      this.knex(AUDIT_TABLE)
        .select('agent_id', this.knex.raw('max(created_at) as ??', ['last']))
        .whereNotNull('agent_id')
        .groupBy('agent_id') as Promise<NewestRow[]>,
    ]);
    const activity = new Map<string, AgentActivity>();
    const entryOf = (row: NewestRow) => {
      const last = millisOf(row.last) ?? 0;
      const entry = activity.get(row.agent_id) ?? {
        lastHour: { calls: 0, refusals: 0 },
        lastDay: { calls: 0, refusals: 0 },
      };
      if (!entry.lastCallAt || Date.parse(entry.lastCallAt) < last) {
        entry.lastCallAt = new Date(last).toISOString();
      }
      activity.set(row.agent_id, entry);
      return entry;
    };
    newest.forEach(entryOf);
    // The two reads run at once: a record the first saw may be newer.
    for (const row of recent) {
      const entry = entryOf(row);
      entry.lastHour = {
        calls: Number(row.hour_calls),
        refusals: Number(row.hour_refusals),
      };
      entry.lastDay = {
        calls: Number(row.day_calls),
        refusals: Number(row.day_refusals),
      };
    }
    return activity;
  }

  /** One agent's records over a span, slice by slice, and its refusals by reason. */
  agentActivity(
    agentId: string,
    span: ActivitySpan,
  ): Promise<AgentActivityDetail> {
    return agentActivityOf(this.knex, agentId, span);
  }

  private page(
    filter: AuditFilter,
    limit: number,
    after?: Position,
  ): Promise<StoredAuditRow[]> {
    const query = this.knex<StoredAuditRow>(AUDIT_TABLE).select('*');
    const exact: Array<[keyof AuditFilter, string]> = [
      ['agent', 'agent_id'],
      ['user', 'on_behalf_of'],
      ['tool', 'operation_name'],
      ['decision', 'decision'],
      ['reason', 'reason'],
      ['outcome', 'outcome'],
    ];
    for (const [key, column] of exact) {
      const value = filter[key];
      if (value !== undefined) query.where(column, String(value));
    }
    if (filter.kind && filter.kind.length < AUDIT_KINDS.length) {
      const kinds = new Set(filter.kind);
      query.where(anyKind => {
        if (kinds.has('mcp')) {
          anyKind.orWhere('method', 'not like', ADMIN_METHODS);
        }
        if (kinds.has('admin-read')) {
          anyKind.orWhere('method', 'like', ADMIN_READS);
        }
        if (kinds.has('admin-change')) {
          anyKind.orWhere(change =>
            change
              .where('method', 'like', ADMIN_METHODS)
              .where('method', 'not like', ADMIN_READS),
          );
        }
      });
    }
    if (filter.since !== undefined)
      query.where('created_at', '>=', filter.since);
    if (filter.until !== undefined)
      query.where('created_at', '<=', filter.until);
    if (after) {
      query.where(older =>
        older
          .where('created_at', '<', after.t)
          .orWhere(same =>
            same.where('created_at', after.t).where('id', '<', after.i),
          ),
      );
    }
    return query
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
  }
}

/** Counts come back as text from PostgreSQL (bigint and numeric). */
interface NewestRow {
  agent_id: string;
  last: number | string;
}

interface RecentActivityRow extends NewestRow {
  day_calls: number | string;
  day_refusals: number | string;
  hour_calls: number | string;
  hour_refusals: number | string;
}

function positionOf(row: StoredAuditRow): Position {
  return { t: millisOf(row.created_at) ?? 0, i: row.id };
}

function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

function decodeCursor(cursor: string): Position {
  const invalid = () =>
    new InputError(
      'Invalid audit cursor: pass the nextCursor of a previous page unchanged',
    );
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) throw invalid();
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  const position = positionSchema.safeParse(decoded);
  // Only the exact text a page handed out: base64 ignores some changes.
  if (!position.success || encodeCursor(position.data) !== cursor) {
    throw invalid();
  }
  return position.data;
}
