import { Criterion } from './runResult';
import { FairnessFigures } from './fairnessVerdict';
import { ThroughputFigures } from './throughputVerdict';

/** Everything a `yarn load` measured: the JSON of its last line. */
export interface LoadResults {
  run: string;
  date: string;
  node: string;
  cpus: number;
  /** The commit, and how many files differed from it when the run began. */
  git: { head: string; changed_files: number };
  duration_s: number;
  run1: ThroughputFigures;
  run2: FairnessFigures;
  criteria: Criterion[];
  pass: boolean;
  failed: string[];
}

function table(headers: string[], rows: Array<Array<string | number>>) {
  const cells = [headers, ...rows.map(row => row.map(String))];
  const widths = headers.map((_, i) =>
    Math.max(...cells.map(row => row[i].length)),
  );
  return cells.map(
    row =>
      `  ${row
        .map((cell, i) =>
          i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]),
        )
        .join('  ')}`,
  );
}

/** The human-readable report, without the JSON line. */
export function renderReport(results: LoadResults): string {
  const { run1: r1, run2: r2 } = results;
  const q = r2.quiet;
  return [
    '',
    `Run 1 (throughput): ${r1.clients} clients over ${r1.agents - 1} reader agents + 1 writer, ${r1.seconds} s after ${r1.warmup_seconds} s warm-up`,
    ...table(
      [
        'calls',
        'reads',
        'writes',
        'errors',
        'calls/s',
        'p50 ms',
        'p99 ms',
        'max ms',
      ],
      [
        [
          r1.calls,
          r1.reads,
          r1.writes,
          r1.errors,
          r1.throughput_per_s,
          r1.p50_ms,
          r1.p99_ms,
          r1.max_ms,
        ],
      ],
    ).map(line => line.replace(/^ {2}/, '    ')),
    `  audit: ${r1.calls_with_warmup} calls (warm-up included), ${r1.audited} records, ${r1.audited_allowed_ok} allowed and ok`,
    `  RSS: ${r1.rss_warm_mb} MiB after warm-up, ${r1.rss_end_mb} MiB at the end (${r1.rss_growth_pct}%), ${r1.rss_peak_mb} MiB at most`,
    `  CPU over the window: backend ${r1.backend_cpu_pct}% of a core, the clients' process ${r1.clients_cpu_pct}% (${results.cpus} cores); the clients' event-loop delay p99 ${r1.clients_loop_delay.p99_ms} ms, max ${r1.clients_loop_delay.max_ms} ms`,
    ...table(
      ['tool', 'calls', 'p50 ms', 'p99 ms'],
      Object.entries(r1.per_tool).map(([tool, t]) => [
        tool,
        t.calls,
        t.p50_ms,
        t.p99_ms,
      ]),
    ),
    '',
    `Run 2 (fairness): ${r2.noisy.length} noisy agents at ${r2.noisy_pace_per_s} calls/s (limit ${r2.noisy_limit} per ${r2.window}), ${r2.seconds} s from ${r2.window_start}`,
    ...table(
      [
        'agent',
        'sent',
        'allowed',
        'expected',
        'refused',
        'clear',
        'errors',
        'audited',
      ],
      r2.noisy.map(n => [
        n.agent,
        n.sent,
        n.allowed,
        n.expected,
        n.refused,
        n.clear_refusals,
        n.errors,
        `${n.audited_allowed}+${n.audited_refused}`,
      ]),
    ),
    `  quiet agent ${q.agent} at ${q.pace_per_s} calls/s (limit ${q.limit_per_minute}/minute):`,
    ...table(
      ['phase', 'seconds', 'calls', 'p50 ms', 'p99 ms', 'max ms'],
      [
        [
          'alone',
          q.alone.seconds,
          q.alone.calls,
          q.alone.p50_ms,
          q.alone.p99_ms,
          q.alone.max_ms,
        ],
        ...[
          ['under load', q.under_load] as const,
          ...(q.while_noisy_allowed && q.while_noisy_refused
            ? ([
                ['  noisy allowed', q.while_noisy_allowed],
                ['  noisy refused', q.while_noisy_refused],
              ] as const)
            : []),
        ].map(([name, p]) => [
          name,
          p.seconds,
          p.calls,
          p.p50_ms,
          p.p99_ms,
          p.max_ms,
        ]),
      ],
    ).map(line => line.replace(/^ {2}/, '    ')),
    `    p99 under load / alone: ${q.p99_ratio}x; calls not ok: ${q.not_ok}; the clients' event-loop delay p99 ${r2.clients_loop_delay.p99_ms} ms, max ${r2.clients_loop_delay.max_ms} ms`,
    '',
    'Criteria:',
    ...results.criteria.map(
      c => `  ${c.pass ? 'PASS' : 'FAIL'}  ${c.name}: ${c.detail}`,
    ),
    '',
    `${results.pass ? 'PASSED' : `FAILED: ${results.failed.join('; ')}`} (run ${results.run}, ${results.duration_s} s in all; the backend's log: artifacts/load/backend.log)`,
  ].join('\n');
}
