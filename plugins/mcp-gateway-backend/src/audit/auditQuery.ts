import { InputError } from '@backstage/errors';
import {
  AuditCounts,
  RefusalReasonCount,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { Knex } from 'knex';
import { z } from 'zod';
import { millisOf } from '../database/gatewayDatabase';
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

/** A span of time cut into equal slices: `from` is the first slice's start. */
export interface ActivitySpan {
  /** ms since the epoch; records at `from` and `to` are inside. */
  from: number;
  to: number;
  bucketMs: number;
}

/** One slice of a span that has records (ms since the epoch). */
export interface BucketCounts {
  start: number;
  /** Every record, refusals and pending ones included. */
  calls: number;
  refusals: number;
  /** Allowed, but the operation failed. */
  errors: number;
}

/** An agent's records over a span: the slices with any, and its refusals by reason. */
export interface AgentActivityDetail {
  /** Oldest first; empty slices are left out. */
  buckets: BucketCounts[];
  /** Most frequent first (then the most recent), at most MAX_REFUSAL_REASONS. */
  refusals: RefusalReasonCount[];
}

export const MAX_PAGE = 500;
/** Enough for any real agent; a flood of distinct codes cannot grow the answer. */
export const MAX_REFUSAL_REASONS = 50;
/** What a refusal recorded without a reason code is grouped under. */
export const UNKNOWN_REASON = 'unknown';
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

  /**
   * One agent's records over a span, counted per slice and its refusals
   * grouped by reason, both in the database: a busy week is many rows.
   * Both read the agent index's range of the span.
   */
  async agentActivity(
    agentId: string,
    span: ActivitySpan,
  ): Promise<AgentActivityDetail> {
    const [buckets, refusals] = await Promise.all([
      this.bucketCounts(agentId, span),
      this.refusalReasons(agentId, span),
    ]);
    return { buckets, refusals };
  }

  private async bucketCounts(
    agentId: string,
    { from, to, bucketMs }: ActivitySpan,
  ): Promise<BucketCounts[]> {
    // Both operands bigint: integer division on PostgreSQL and SQLite alike
    // (better-sqlite3 may bind a number as a real), and never negative here.
    const sliced = this.knex(AUDIT_TABLE)
      .select(
        this.knex.raw(
          '(created_at - cast(? as bigint)) / cast(? as bigint) as ??',
          [from, bucketMs, 'bucket'],
        ),
        'decision',
        'outcome',
      )
      .where('agent_id', agentId)
      .whereBetween('created_at', [from, to]);
    const rows: BucketRow[] = await this.knex
      .select(
        'bucket',
        this.knex.raw('count(*) as ??', ['calls']),
        this.knex.raw(
          "sum(case when decision = 'refused' then 1 else 0 end) as ??",
          ['refusals'],
        ),
        this.knex.raw(
          "sum(case when decision = 'allowed' and outcome = 'error' then 1 else 0 end) as ??",
          ['errors'],
        ),
      )
      // Grouped outside: PostgreSQL would not see a parameterised
      // expression in the select list and the group by as the same one.
      .from(sliced.as('sliced'))
      .groupBy('bucket')
      .orderBy('bucket');
    return rows.map(row => ({
      start: from + Number(row.bucket) * bucketMs,
      calls: Number(row.calls),
      refusals: Number(row.refusals),
      errors: Number(row.errors),
    }));
  }

  private async refusalReasons(
    agentId: string,
    { from, to }: ActivitySpan,
  ): Promise<RefusalReasonCount[]> {
    const reason = `coalesce(reason, '${UNKNOWN_REASON}')`;
    // Each refusal with its reason's count and its place among the
    // reason's refusals, newest first: the newest one speaks for the rest.
    const ranked = this.knex(AUDIT_TABLE)
      .select(
        this.knex.raw(`${reason} as ??`, ['reason_key']),
        'stage',
        'message',
        'created_at',
        this.knex.raw(`count(*) over (partition by ${reason}) as ??`, [
          'total',
        ]),
        this.knex.raw(
          `row_number() over (partition by ${reason} order by created_at desc, id desc) as ??`,
          ['newest_first'],
        ),
      )
      .where('agent_id', agentId)
      .where('decision', 'refused')
      .whereBetween('created_at', [from, to]);
    const rows: RefusalRow[] = await this.knex
      .select('reason_key', 'stage', 'message', 'created_at', 'total')
      .from(ranked.as('ranked'))
      .where('newest_first', 1)
      .orderBy([
        { column: 'total', order: 'desc' },
        { column: 'created_at', order: 'desc' },
        { column: 'reason_key', order: 'asc' },
      ])
      .limit(MAX_REFUSAL_REASONS);
    return rows.map(row => ({
      reason: row.reason_key,
      ...(row.stage !== null && { stage: row.stage }),
      count: Number(row.total),
      lastAt: new Date(millisOf(row.created_at) ?? 0).toISOString(),
      ...(row.message !== null && { example: row.message }),
    }));
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

interface BucketRow {
  bucket: number | string;
  calls: number | string;
  refusals: number | string;
  errors: number | string;
}

interface RefusalRow {
  reason_key: string;
  stage: string | null;
  message: string | null;
  created_at: number | string;
  total: number | string;
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
