import { RefusalReasonCount } from '@mcp-gateway/plugin-mcp-gateway-common';
import { Knex } from 'knex';
import { millisOf } from '../database/gatewayDatabase';
import { AUDIT_TABLE } from './auditRows';

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

/** Enough for any real agent; a flood of distinct codes cannot grow the answer. */
export const MAX_REFUSAL_REASONS = 50;
/** What a refusal recorded without a reason code is grouped under. */
export const UNKNOWN_REASON = 'unknown';
/**
 * One agent's records over a span, counted per slice and its refusals
 * grouped by reason, both in the database: a busy week is many rows.
 * Both read the agent index's range of the span.
 */
export async function agentActivityOf(
  knex: Knex,
  agentId: string,
  span: ActivitySpan,
): Promise<AgentActivityDetail> {
  const [buckets, refusals] = await Promise.all([
    bucketCounts(knex, agentId, span),
    refusalReasons(knex, agentId, span),
  ]);
  return { buckets, refusals };
}

async function bucketCounts(
  knex: Knex,
  agentId: string,
  { from, to, bucketMs }: ActivitySpan,
): Promise<BucketCounts[]> {
  // Both operands bigint: integer division on PostgreSQL and SQLite alike
  // (better-sqlite3 may bind a number as a real), and never negative here.
  const sliced = knex(AUDIT_TABLE)
    .select(
      knex.raw('(created_at - cast(? as bigint)) / cast(? as bigint) as ??', [
        from,
        bucketMs,
        'bucket',
      ]),
      'decision',
      'outcome',
    )
    .where('agent_id', agentId)
    .whereBetween('created_at', [from, to]);
  const rows: BucketRow[] = await knex
    .select(
      'bucket',
      knex.raw('count(*) as ??', ['calls']),
      knex.raw("sum(case when decision = 'refused' then 1 else 0 end) as ??", [
        'refusals',
      ]),
      knex.raw(
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

async function refusalReasons(
  knex: Knex,
  agentId: string,
  { from, to }: ActivitySpan,
): Promise<RefusalReasonCount[]> {
  const reason = `coalesce(reason, '${UNKNOWN_REASON}')`;
  // Each refusal with its reason's count and its place among the
  // reason's refusals, newest first: the newest one speaks for the rest.
  const ranked = knex(AUDIT_TABLE)
    .select(
      knex.raw(`${reason} as ??`, ['reason_key']),
      'stage',
      'message',
      'created_at',
      knex.raw(`count(*) over (partition by ${reason}) as ??`, ['total']),
      knex.raw(
        `row_number() over (partition by ${reason} order by created_at desc, id desc) as ??`,
        ['newest_first'],
      ),
    )
    .where('agent_id', agentId)
    .where('decision', 'refused')
    .whereBetween('created_at', [from, to]);
  const rows: RefusalRow[] = await knex
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
