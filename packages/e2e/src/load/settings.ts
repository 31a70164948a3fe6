/** What the load runs do; env variables shorten them while developing. */
export interface LoadSettings {
  /** How long each measured run lasts (LOAD_SECONDS, default 60). */
  seconds: number;
  /** Load before the measured run, so RSS is read from a warm process (LOAD_WARMUP_SECONDS, default 10). */
  warmupSeconds: number;
  throughput: {
    /** MCP SDK clients calling read tools back to back. */
    clients: number;
    /** The clients are spread evenly over this many agents. */
    readerAgents: number;
    /** One writer client, paced: this many writes per second. */
    writesPerSecond: number;
    /** Criterion: RSS at the end within this much of RSS after warm-up. */
    maxRssGrowthPct: number;
  };
  fairness: {
    /**
     * The noisy agents' `rateLimit.per` (LOAD_FAIRNESS_WINDOW, default
     * second). Windows are fixed: with `minute`, an agent at twice its
     * limit spends its whole budget in the first half of the minute and is
     * refused in the second; with `second` it is over its limit all along.
     */
    window: 'second' | 'minute';
    /** Noisy agents, each limited to `noisyLimit` requests per window. */
    noisyAgents: number;
    noisyLimit: number;
    /** How far over its limit each noisy agent is driven. */
    overdrive: number;
    /** The quiet agent's limit and pace: well under it. */
    quietLimit: number;
    quietPerSecond: number;
    /** An idle pause after run 1, so the baseline starts quiet. */
    settleSeconds: number;
    /** The quiet agent alone, before the noisy run: at least this long (it ends where a window starts). */
    baselineSeconds: number;
    /** Criterion: a noisy agent's allowed calls within this much of its budget. */
    budgetTolerancePct: number;
    /** Criterion: quiet p99 under load at most this many times its p99 alone. */
    maxP99Ratio: number;
  };
}

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} must be a positive number of seconds, not ${raw}`);
  }
  return value;
}

function fairnessWindow(): 'second' | 'minute' {
  const raw = process.env.LOAD_FAIRNESS_WINDOW || 'second';
  if (raw !== 'second' && raw !== 'minute') {
    throw new Error(
      `LOAD_FAIRNESS_WINDOW must be second or minute, not ${raw}`,
    );
  }
  return raw;
}

export function loadSettings(): LoadSettings {
  const runSeconds = seconds('LOAD_SECONDS', 60);
  const window = fairnessWindow();
  return {
    seconds: runSeconds,
    warmupSeconds: seconds('LOAD_WARMUP_SECONDS', 10),
    throughput: {
      clients: 64,
      readerAgents: 4,
      writesPerSecond: 1,
      maxRssGrowthPct: 20,
    },
    fairness: {
      window,
      noisyAgents: 8,
      // 120 a minute either way; driven at 4 calls a second.
      noisyLimit: window === 'second' ? 2 : 120,
      overdrive: 2,
      quietLimit: 1_200,
      quietPerSecond: 10,
      settleSeconds: 5,
      // As long as the run under load: p99s of equal samples compare.
      baselineSeconds: runSeconds,
      budgetTolerancePct: 10,
      maxP99Ratio: 2,
    },
  };
}
