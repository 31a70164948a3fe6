import { InMemoryRateCounters } from './rateCounters';
import { windowAt } from './rateWindows';

describe('InMemoryRateCounters', () => {
  it('counts per bucket and window', async () => {
    const counters = new InMemoryRateCounters();
    expect(await counters.increment('a', 0, 1000)).toBe(1);
    expect(await counters.increment('a', 0, 1000)).toBe(2);
    expect(await counters.increment('b', 0, 1000)).toBe(1);
    expect(await counters.increment('a', 1000, 1000)).toBe(1);
  });

  it('purges only windows that have ended', async () => {
    const counters = new InMemoryRateCounters();
    await counters.increment('a', 0, 1000);
    await counters.increment('a', 1000, 1000);
    await counters.increment('b', 0, 60_000);
    expect(await counters.purgeBefore(1000)).toBe(1);
    expect(await counters.increment('a', 0, 1000)).toBe(1);
    expect(await counters.increment('a', 1000, 1000)).toBe(2);
    expect(await counters.increment('b', 0, 60_000)).toBe(2);
  });
});

describe('windowAt', () => {
  it('aligns windows to multiples of their length since the epoch', () => {
    expect(windowAt(0, 1000)).toEqual({ start: 0, end: 1000 });
    expect(windowAt(999, 1000)).toEqual({ start: 0, end: 1000 });
    expect(windowAt(1000, 1000)).toEqual({ start: 1000, end: 2000 });
    expect(windowAt(Date.UTC(2026, 0, 2, 13), 86_400_000)).toEqual({
      start: Date.UTC(2026, 0, 2),
      end: Date.UTC(2026, 0, 3),
    });
  });
});
