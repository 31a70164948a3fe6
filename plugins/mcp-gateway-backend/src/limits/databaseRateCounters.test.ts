import { gatewayTestDatabases } from '../__testUtils__/databases';
import { DatabaseRateCounters } from './databaseRateCounters';
import { WINDOW_MS } from './rateWindows';

const databases = gatewayTestDatabases();
const MINUTE = WINDOW_MS.minute;
const DAY = WINDOW_MS.day;

describe('DatabaseRateCounters', () => {
  it.each(databases.ids)('counts 1..n in one window on %p', async id => {
    const counters = new DatabaseRateCounters(await databases.migrated(id));
    const counts = [];
    for (let i = 0; i < 5; i++) {
      counts.push(await counters.increment('a:requests', 60_000, MINUTE));
    }
    expect(counts).toEqual([1, 2, 3, 4, 5]);
  });

  it.each(databases.ids)('keeps buckets and windows apart on %p', async id => {
    const knex = await databases.migrated(id);
    const counters = new DatabaseRateCounters(knex);
    await counters.increment('a:requests', 60_000, MINUTE);
    await counters.increment('a:requests', 60_000, MINUTE);
    expect(await counters.increment('a:writes', 60_000, MINUTE)).toBe(1);
    expect(await counters.increment('b:requests', 60_000, MINUTE)).toBe(1);
    expect(await counters.increment('a:requests', 120_000, MINUTE)).toBe(1);
    expect(await counters.increment('a:requests', 60_000, MINUTE)).toBe(3);

    const rows = await knex('rate_counters')
      .select('bucket', 'window_start', 'count')
      .orderBy(['bucket', 'window_start']);
    expect(
      rows.map(r => [r.bucket, Number(r.window_start), Number(r.count)]),
    ).toEqual([
      ['a:requests', 60_000, 3],
      ['a:requests', 120_000, 1],
      ['a:writes', 60_000, 1],
      ['b:requests', 60_000, 1],
    ]);
  });

  it.each(databases.ids)(
    'loses no update to 50 concurrent increments on %p',
    async id => {
      const counters = new DatabaseRateCounters(await databases.migrated(id));
      const counts = await Promise.all(
        Array.from({ length: 50 }, () =>
          counters.increment('busy:requests', 0, MINUTE),
        ),
      );
      expect([...counts].sort((x, y) => x - y)).toEqual(
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
    },
  );

  it.each(databases.ids)(
    'stores window starts beyond 32 bits (today in ms) on %p',
    async id => {
      const counters = new DatabaseRateCounters(await databases.migrated(id));
      const start = 1_795_000_000_000;
      expect(await counters.increment('a:requests', start, MINUTE)).toBe(1);
      expect(await counters.increment('a:requests', start, MINUTE)).toBe(2);
    },
  );

  it.each(databases.ids)(
    'purges only windows that have ended on %p',
    async id => {
      const knex = await databases.migrated(id);
      const counters = new DatabaseRateCounters(knex);
      const cutOff = 10 * DAY;
      // Started a full day (the longest window) before the cut-off: ended.
      await counters.increment('a:requests', cutOff - DAY - 1, DAY);
      await counters.increment('a:requests', cutOff - DAY, DAY);
      // A day window that started after that may still be open.
      await counters.increment('b:requests', cutOff - DAY + 1, DAY);
      await counters.increment('b:requests', cutOff, MINUTE);

      expect(await counters.purgeBefore(cutOff)).toBe(2);
      const left = await knex('rate_counters')
        .select('bucket', 'window_start')
        .orderBy('window_start');
      expect(left.map(r => [r.bucket, Number(r.window_start)])).toEqual([
        ['b:requests', cutOff - DAY + 1],
        ['b:requests', cutOff],
      ]);
    },
  );

  it.each(databases.ids)(
    'refuses windows longer than it can purge safely on %p',
    async id => {
      const counters = new DatabaseRateCounters(
        await databases.migrated(id),
        MINUTE,
      );
      await expect(
        counters.increment('a:requests', 0, MINUTE + 1),
      ).rejects.toThrow('Rate windows longer than 60000 ms are not supported');
    },
  );
});
