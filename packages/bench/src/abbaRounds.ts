/**
 * Rounds with the durable store on and off, in pairs whose order flips
 * every pair (on, off, off, on, on, off, ...), so drift over the run (JIT,
 * caches, a growing table, other work on the machine) falls on both sides
 * alike. Returns whether the store is on, round by round.
 */
export function sidesOfRounds(roundsPerSide: number): boolean[] {
  return Array.from({ length: roundsPerSide }, (_, pair) =>
    pair % 2 === 0 ? [true, false] : [false, true],
  ).flat();
}

/** One round's figure, e.g. its p50 latency or its calls per second. */
export interface RoundFigure {
  on: boolean;
  value: number;
}

/**
 * In how many pairs of rounds (as sidesOfRounds orders them) the "on" round
 * was worse: a sign test that tells a real overhead (nearly every pair)
 * from noise (about half).
 */
export function pairsWorseOn(
  rounds: RoundFigure[],
  worse: (on: number, off: number) => boolean,
): { worse: number; pairs: number } {
  let count = 0;
  const pairs = Math.floor(rounds.length / 2);
  for (let i = 0; i < pairs; i++) {
    const [a, b] = [rounds[2 * i], rounds[2 * i + 1]];
    const [on, off] = a.on ? [a, b] : [b, a];
    if (worse(on.value, off.value)) count += 1;
  }
  return { worse: count, pairs };
}
