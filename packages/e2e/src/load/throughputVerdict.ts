import { AuditTally } from './auditTally';
import { round1, summarize } from './latency';
import { Criterion } from './runResult';
import { LoadSettings } from './settings';
import { TimedCall, WRITE_CALL } from './workload';

export interface ThroughputFigures {
  clients: number;
  agents: number;
  seconds: number;
  warmup_seconds: number;
  /** Calls sent in the measured window (after warm-up). */
  calls: number;
  reads: number;
  writes: number;
  /** Calls that did not succeed, warm-up included: thrown, JSON-RPC error or isError. */
  errors: number;
  error_samples: string[];
  /** Every call of the run's agents, warm-up included... */
  calls_with_warmup: number;
  /** ...and their tool-call records in audit_records. */
  audited: number;
  audited_allowed_ok: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
  throughput_per_s: number;
  rss_warm_mb: number;
  rss_end_mb: number;
  /** The highest of the readings taken every second after warm-up. */
  rss_peak_mb: number;
  rss_growth_pct: number;
  /** Backend CPU time over the measured window, as % of one core. */
  backend_cpu_pct: number;
  /** The same for this process, which runs every client. */
  clients_cpu_pct: number;
  /** This process's event-loop delay over the window. */
  clients_loop_delay: { p99_ms: number; max_ms: number };
  per_tool: Record<string, { calls: number; p50_ms: number; p99_ms: number }>;
}

/** What run 1 saw, for its figures and criteria. */
export interface ThroughputObservations {
  agents: number;
  /** Every call, warm-up included. */
  calls: TimedCall[];
  warmEnd: number;
  audit: AuditTally;
  rssMb: { warm: number; end: number; peak: number };
  /** Over the measured window. */
  cpuSeconds: { backend: number; clients: number };
  loopDelay: { p99_ms: number; max_ms: number };
}

export function throughputVerdict(
  settings: LoadSettings,
  seen: ThroughputObservations,
): { figures: ThroughputFigures; criteria: Criterion[] } {
  const { clients, writesPerSecond, maxRssGrowthPct } = settings.throughput;
  const { calls, audit, rssMb } = seen;
  const measured = calls.filter(call => call.outcome.sentAt >= seen.warmEnd);
  const failed = calls.filter(call => call.outcome.kind !== 'ok');
  const writes = measured.filter(call => call.tool === WRITE_CALL.name);
  const latency = summarize(measured.map(call => call.ms));
  const rssGrowthPct = ((rssMb.end - rssMb.warm) / rssMb.warm) * 100;
  const cpuPct = (seconds: number) =>
    Math.round((seconds / settings.seconds) * 100);

  const figures: ThroughputFigures = {
    clients,
    agents: seen.agents,
    seconds: settings.seconds,
    warmup_seconds: settings.warmupSeconds,
    calls: measured.length,
    reads: measured.length - writes.length,
    writes: writes.length,
    errors: failed.length,
    error_samples: [
      ...new Set(failed.map(c => `${c.tool}: ${c.outcome.text}`)),
    ].slice(0, 5),
    calls_with_warmup: calls.length,
    audited: audit.total,
    audited_allowed_ok: audit.allowedOk,
    p50_ms: round1(latency.p50),
    p99_ms: round1(latency.p99),
    max_ms: round1(latency.max),
    throughput_per_s: round1(measured.length / settings.seconds),
    rss_warm_mb: round1(rssMb.warm),
    rss_end_mb: round1(rssMb.end),
    rss_peak_mb: round1(rssMb.peak),
    rss_growth_pct: round1(rssGrowthPct),
    backend_cpu_pct: cpuPct(seen.cpuSeconds.backend),
    clients_cpu_pct: cpuPct(seen.cpuSeconds.clients),
    clients_loop_delay: seen.loopDelay,
    per_tool: perTool(measured),
  };
  const okCalls = calls.length - failed.length;
  const criteria: Criterion[] = [
    {
      name: 'run1: zero errors',
      pass: failed.length === 0,
      detail: `${failed.length} of ${calls.length} calls failed${
        failed.length ? `: ${figures.error_samples.join(' | ')}` : ''
      }`,
    },
    {
      name: 'run1: every call audited',
      pass: audit.total === calls.length && audit.allowedOk === okCalls,
      detail: `${calls.length} calls, ${audit.total} tool-call records (${audit.allowedOk} allowed and ok, for ${okCalls} ok calls)`,
    },
    {
      name: `run1: RSS within ${maxRssGrowthPct}% of warm`,
      pass: Math.abs(rssGrowthPct) <= maxRssGrowthPct,
      detail: `${figures.rss_warm_mb} MiB after warm-up, ${figures.rss_end_mb} MiB at the end (${figures.rss_growth_pct}%)`,
    },
    {
      name: `run1: ${writesPerSecond} write per second`,
      pass: Math.abs(writes.length - settings.seconds * writesPerSecond) <= 1,
      detail: `${writes.length} writes in ${settings.seconds} s`,
    },
  ];
  return { figures, criteria };
}

function perTool(calls: TimedCall[]): ThroughputFigures['per_tool'] {
  const byTool = new Map<string, number[]>();
  for (const call of calls) {
    const list = byTool.get(call.tool) ?? [];
    list.push(call.ms);
    byTool.set(call.tool, list);
  }
  return Object.fromEntries(
    [...byTool].map(([tool, ms]) => {
      const latency = summarize(ms);
      return [
        tool,
        {
          calls: latency.count,
          p50_ms: round1(latency.p50),
          p99_ms: round1(latency.p99),
        },
      ];
    }),
  );
}
