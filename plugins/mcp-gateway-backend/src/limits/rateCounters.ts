/**
 * Fixed-window counters shared by every replica. A counter is named by its
 * bucket (an agent and a budget) and the start of its window.
 */
export interface RateCounters {
  /**
   * Adds one to the counter and returns its new value, atomically across
   * processes: n concurrent increments return 1..n, each exactly once.
   */
  increment(
    bucket: string,
    windowStart: number,
    windowMs: number,
  ): Promise<number>;
  /** Deletes windows that ended before this time (ms); returns how many. */
  purgeBefore?(before: number): Promise<number>;
  close?(): Promise<void>;
}

/** Counters in this process only: for tests, and for a single replica. */
export class InMemoryRateCounters implements RateCounters {
  private readonly counters = new Map<string, { count: number; end: number }>();

  async increment(bucket: string, windowStart: number, windowMs: number) {
    const key = JSON.stringify([bucket, windowStart]);
    const counter = this.counters.get(key) ?? {
      count: 0,
      end: windowStart + windowMs,
    };
    counter.count += 1;
    this.counters.set(key, counter);
    return counter.count;
  }

  async purgeBefore(before: number) {
    let purged = 0;
    for (const [key, { end }] of this.counters) {
      if (end <= before) {
        this.counters.delete(key);
        purged += 1;
      }
    }
    return purged;
  }
}
