import { AuditTally } from './auditTally';
import { Criterion } from './runResult';
import { round1, summarize } from './latency';
import { LoadAgent } from './loadConfig';
import { budgetOf, isClearRefusal, RateWindow } from './rateWindow';
import { LoadSettings } from './settings';
import { TimedCall } from './workload';

export interface NoisyFigures {
  agent: string;
  sent: number;
  allowed: number;
  /** The budget: per window, the limit or what was sent, whichever is less. */
  expected: number;
  refused: number;
  /** Refusals that name the rate limit and the true wait until the window ends. */
  clear_refusals: number;
  errors: number;
  audited_allowed: number;
  audited_refused: number;
}

interface QuietPhase {
  seconds: number;
  calls: number;
  p50_ms: number;
  p99_ms: number;
  max_ms: number;
}

export interface FairnessFigures {
  window: 'second' | 'minute';
  window_start: string;
  seconds: number;
  noisy_limit: number;
  noisy_pace_per_s: number;
  noisy: NoisyFigures[];
  /** This process's event-loop delay, both phases. */
  clients_loop_delay: { p99_ms: number; max_ms: number };
  quiet: {
    agent: string;
    limit_per_minute: number;
    pace_per_s: number;
    alone: QuietPhase;
    under_load: QuietPhase;
    /**
     * With minute windows, under load split where the noisy agents' budgets
     * ran out: first their allowed calls (real work), then only refusals.
     */
    while_noisy_allowed?: QuietPhase;
    while_noisy_refused?: QuietPhase;
    /** Calls of either phase that did not succeed. */
    not_ok: number;
    audited: number;
    p99_ratio: number;
  };
}

interface Phase {
  calls: TimedCall[];
  ms: number;
}

/** Run 2's figures and criteria, from its calls and its audit records. */
export function fairnessVerdict(run: {
  settings: LoadSettings;
  window: RateWindow;
  agents: { noisy: LoadAgent[]; quiet: LoadAgent };
  audit: Map<string, AuditTally>;
  alone: Phase;
  underLoad: Phase;
  noisyRuns: TimedCall[][];
  windowStart: number;
  loopDelay: { p99_ms: number; max_ms: number };
}): { figures: FairnessFigures; criteria: Criterion[] } {
  const { settings, window, agents, audit, alone, underLoad } = run;
  const f = settings.fairness;
  const noisy = agents.noisy.map((agent, k) => {
    const calls = run.noisyRuns[k];
    const tally = audit.get(agent.id)!;
    const count = (test: (call: TimedCall) => boolean) =>
      calls.filter(test).length;
    return {
      agent: agent.id,
      sent: calls.length,
      allowed: count(c => c.outcome.kind === 'ok'),
      expected: budgetOf(calls, window),
      refused: count(c => c.outcome.kind === 'refused'),
      clear_refusals: count(c => isClearRefusal(c, agent, window)),
      errors: count(c => c.outcome.kind === 'error'),
      audited_allowed: tally.allowedOk,
      audited_refused: tally.rateLimited,
      audited_total: tally.total,
    };
  });
  const quietAll = [...alone.calls, ...underLoad.calls];
  const quietTally = audit.get(agents.quiet.id)!;
  const aloneFigures = phase(alone);
  const loadFigures = phase(underLoad);
  const figures: FairnessFigures = {
    window: window.per,
    window_start: new Date(run.windowStart).toISOString(),
    seconds: round1(underLoad.ms / 1000),
    noisy_limit: window.limit,
    noisy_pace_per_s: round1((window.limit * f.overdrive * 1000) / window.ms),
    noisy: noisy.map(({ audited_total: _, ...figure }) => figure),
    clients_loop_delay: run.loopDelay,
    quiet: {
      agent: agents.quiet.id,
      limit_per_minute: f.quietLimit,
      pace_per_s: f.quietPerSecond,
      alone: aloneFigures,
      under_load: loadFigures,
      ...(window.per === 'minute' && splitAtFirstRefusal(run)),
      not_ok: quietAll.filter(c => c.outcome.kind !== 'ok').length,
      audited: quietTally.allowedOk,
      p99_ratio: round1(loadFigures.p99_ms / aloneFigures.p99_ms),
    },
  };

  const offBudget = noisy.filter(
    n =>
      Math.abs(n.allowed - n.expected) >
      (n.expected * f.budgetTolerancePct) / 100,
  );
  const unclear = noisy.filter(n => n.clear_refusals !== n.sent - n.allowed);
  const unaudited = noisy.filter(
    n =>
      n.audited_total !== n.sent ||
      n.audited_allowed !== n.allowed ||
      n.audited_refused !== n.clear_refusals,
  );
  const names = (list: Array<{ agent: string }>) =>
    list.map(n => n.agent).join(', ');
  const unclearSample = () => {
    for (const [k, calls] of run.noisyRuns.entries()) {
      const call = calls.find(
        c =>
          c.outcome.kind !== 'ok' &&
          !isClearRefusal(c, agents.noisy[k], window),
      );
      if (call) return `; e.g. ${call.outcome.kind}: ${call.outcome.text}`;
    }
    return '';
  };
  const criteria: Criterion[] = [
    {
      name: `run2: each noisy agent gets its budget (+/-${f.budgetTolerancePct}%)`,
      pass: offBudget.length === 0,
      detail: `allowed/expected: ${noisy
        .map(n => `${n.allowed}/${n.expected}`)
        .join(', ')}${offBudget.length ? `; off: ${names(offBudget)}` : ''}`,
    },
    {
      name: 'run2: clear refusals for the rest',
      pass: unclear.length === 0,
      detail: `clear refusals/not allowed: ${noisy
        .map(n => `${n.clear_refusals}/${n.sent - n.allowed}`)
        .join(', ')}${
        unclear.length ? `; unclear: ${names(unclear)}${unclearSample()}` : ''
      }`,
    },
    {
      name: 'run2: the quiet agent is never refused',
      pass: figures.quiet.not_ok === 0,
      detail: `${figures.quiet.not_ok} of ${quietAll.length} quiet calls did not succeed`,
    },
    {
      name: `run2: quiet p99 under load within ${f.maxP99Ratio}x of alone`,
      pass: figures.quiet.p99_ratio <= f.maxP99Ratio,
      detail: `p99 ${loadFigures.p99_ms} ms under load, ${aloneFigures.p99_ms} ms alone (${figures.quiet.p99_ratio}x)`,
    },
    {
      name: 'run2: every call audited',
      pass:
        unaudited.length === 0 &&
        quietTally.total === quietAll.length &&
        quietTally.allowedOk === quietAll.length - figures.quiet.not_ok,
      detail: `records (allowed+rate-limited/sent): ${noisy
        .map(n => `${n.audited_allowed}+${n.audited_refused}/${n.sent}`)
        .join(', ')}; quiet ${quietTally.total}/${quietAll.length}`,
    },
  ];
  return { figures, criteria };
}

function phase({ calls, ms }: Phase): QuietPhase {
  const latency = summarize(calls.map(c => c.ms));
  return {
    seconds: round1(ms / 1000),
    calls: latency.count,
    p50_ms: round1(latency.p50),
    p99_ms: round1(latency.p99),
    max_ms: round1(latency.max),
  };
}

/** The quiet calls under load, before and after the first noisy refusal. */
function splitAtFirstRefusal(run: {
  underLoad: Phase;
  noisyRuns: TimedCall[][];
}) {
  const { calls, ms } = run.underLoad;
  const start = Math.min(...calls.map(c => c.outcome.sentAt));
  const refusedFrom = Math.min(
    start + ms,
    ...run.noisyRuns
      .flat()
      .flatMap(c => (c.outcome.kind === 'refused' ? [c.outcome.sentAt] : [])),
  );
  const before = calls.filter(c => c.outcome.sentAt < refusedFrom);
  const after = calls.filter(c => c.outcome.sentAt >= refusedFrom);
  return {
    while_noisy_allowed: phase({ calls: before, ms: refusedFrom - start }),
    while_noisy_refused: phase({ calls: after, ms: start + ms - refusedFrom }),
  };
}
