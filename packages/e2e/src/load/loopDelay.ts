import { monitorEventLoopDelay } from 'node:perf_hooks';
import { round1 } from './latency';

/**
 * This process's event-loop delay while it measures: a stall here is
 * counted in every latency it takes, so the report shows it.
 */
export function watchLoopDelay(): () => { p99_ms: number; max_ms: number } {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  return () => {
    histogram.disable();
    return {
      p99_ms: round1(histogram.percentile(99) / 1e6),
      max_ms: round1(histogram.max / 1e6),
    };
  };
}
