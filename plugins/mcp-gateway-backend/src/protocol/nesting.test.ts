import { nestsDeeperThan } from './nesting';

const arrays = (levels: number) =>
  JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`);

describe('nestsDeeperThan', () => {
  it('counts the body itself as level 1 and scalars as no level', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan(null, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({}, 1)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });

  it('finds the one deep branch among wide ones', () => {
    const wide = Object.fromEntries(
      Array.from({ length: 1000 }, (_, i) => [`k${i}`, [1, 2, { x: 3 }]]),
    );
    expect(nestsDeeperThan({ ...wide, deep: arrays(10) }, 10)).toBe(true);
    expect(nestsDeeperThan({ ...wide, deep: arrays(9) }, 10)).toBe(false);
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(nestsDeeperThan(arrays(1_000_000), 64)).toBe(true);
  });
});
