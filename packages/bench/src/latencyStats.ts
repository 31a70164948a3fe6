/** Latencies in milliseconds, summarised the way the report shows them. */
export interface LatencySummary {
  calls: number;
  p50: number;
  p90: number;
}

/** The nearest-rank percentile (`p` from 0 to 100) of the samples. */
export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) {
    throw new Error('No samples to take a percentile of');
  }
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1];
}

export function summarize(samples: number[]): LatencySummary {
  return {
    calls: samples.length,
    p50: percentile(samples, 50),
    p90: percentile(samples, 90),
  };
}

/** Times each call of `call`, one after another. */
export async function timeSequential(
  calls: number,
  call: () => Promise<void>,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await call();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** Times `calls` calls with `inFlight` of them running at any moment. */
export async function timeConcurrent(
  calls: number,
  inFlight: number,
  call: () => Promise<void>,
): Promise<{ samples: number[]; wallMs: number }> {
  const samples: number[] = [];
  let started = 0;
  const worker = async () => {
    while (started < calls) {
      started += 1;
      const start = performance.now();
      await call();
      samples.push(performance.now() - start);
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { samples, wallMs: performance.now() - start };
}
