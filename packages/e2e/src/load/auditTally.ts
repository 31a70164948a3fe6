import { Knex } from 'knex';

/** An agent's tool-call records in the gateway's audit_records table. */
export interface AuditTally {
  /** Every record of a tools/call. */
  total: number;
  /** Allowed, and ended ok. */
  allowedOk: number;
  /** Refused by the rate limit (stage limits, reason rate-limited). */
  rateLimited: number;
  /** Anything else: refused otherwise, failed, or still pending. */
  other: number;
}

const EMPTY: AuditTally = { total: 0, allowedOk: 0, rateLimited: 0, other: 0 };

/** The tool-call records of these agents, counted by agent. */
export async function auditTally(
  gatewayDb: Knex,
  agentIds: string[],
): Promise<Map<string, AuditTally>> {
  const rows: Array<{
    agent_id: string;
    decision: string;
    outcome: string;
    reason: string | null;
    count: string | number;
  }> = await gatewayDb('audit_records')
    .where('method', 'tools/call')
    .whereIn('agent_id', agentIds)
    .groupBy('agent_id', 'decision', 'outcome', 'reason')
    .select('agent_id', 'decision', 'outcome', 'reason')
    .count({ count: '*' });
  const tallies = new Map(agentIds.map(id => [id, { ...EMPTY }]));
  for (const row of rows) {
    const tally = tallies.get(row.agent_id)!;
    const count = Number(row.count);
    tally.total += count;
    if (row.decision === 'allowed' && row.outcome === 'ok') {
      tally.allowedOk += count;
    } else if (row.decision === 'refused' && row.reason === 'rate-limited') {
      tally.rateLimited += count;
    } else {
      tally.other += count;
    }
  }
  return tallies;
}

export function sumTallies(tallies: Iterable<AuditTally>): AuditTally {
  const sum = { ...EMPTY };
  for (const tally of tallies) {
    sum.total += tally.total;
    sum.allowedOk += tally.allowedOk;
    sum.rateLimited += tally.rateLimited;
    sum.other += tally.other;
  }
  return sum;
}
