import { Knex } from 'knex';
import { RateCounters } from './rateCounters';
import { LONGEST_WINDOW_MS } from './rateWindows';

const TABLE = 'rate_counters';

/**
 * Counters in the plugin's database, for when the backend has no Redis.
 * Each increment is one upsert, so replicas never lose an update to a
 * read-modify-write race.
 */
export class DatabaseRateCounters implements RateCounters {
  /**
   * @param longestWindowMs - the longest window `increment` accepts. The
   *   table does not store window lengths, so `purgeBefore` deletes only
   *   windows that started at least this long before its cut-off.
   */
  constructor(
    private readonly knex: Knex,
    private readonly longestWindowMs: number = LONGEST_WINDOW_MS,
  ) {}

  async increment(bucket: string, windowStart: number, windowMs: number) {
    if (windowMs > this.longestWindowMs) {
      // Such a window could be purged while it is still open.
      throw new Error(
        `Rate windows longer than ${this.longestWindowMs} ms are not supported`,
      );
    }
    const rows: Array<{ count: number | string }> = await this.knex(TABLE)
      .insert({ bucket, window_start: windowStart, count: 1 })
      .onConflict(['bucket', 'window_start'])
      .merge({ count: this.knex.raw('?? + 1', [`${TABLE}.count`]) })
      .returning('count');
    return Number(rows[0].count);
  }

  async purgeBefore(before: number) {
    return this.knex(TABLE)
      .where('window_start', '<=', before - this.longestWindowMs)
      .delete();
  }
}
