import { round1 } from './latency';
import { TimedCall } from './workload';

/** One pass criterion of the load runs, and what was measured against it. */
export interface Criterion {
  name: string;
  pass: boolean;
  detail: string;
}

/** One call, for artifacts/load/calls.json: [phase, tool, sentAt, ms, kind]. */
export type CallRow = [string, string, number, number, string];

export function callRows(phase: string, calls: TimedCall[]): CallRow[] {
  return calls.map(c => [
    phase,
    c.tool,
    c.outcome.sentAt,
    round1(c.ms),
    c.outcome.kind,
  ]);
}

/** What a run hands back: its figures, its criteria and its raw calls. */
export interface RunResult<Figures> {
  figures: Figures;
  criteria: Criterion[];
  calls: CallRow[];
}
