/** The seed CI runs with, so that a run there is repeatable. */
export const FIXED_SEED = 728_2026;

/**
 * The fast-check seed: FIXED_SEED, unless MCP_GATEWAY_FUZZ_SEED names one
 * (to replay a failure) or says `random` (to explore).
 */
export function fuzzSeed(
  setting: string | undefined = process.env.MCP_GATEWAY_FUZZ_SEED,
): number {
  const value = setting?.trim();
  if (!value) return FIXED_SEED;
  if (value === 'random') {
    // fast-check seeds are 32-bit integers.
    return Math.floor(Math.random() * 0x7fffffff);
  }
  const seed = Number(value);
  if (!Number.isSafeInteger(seed)) {
    throw new Error(
      `MCP_GATEWAY_FUZZ_SEED must be an integer or 'random', not '${value}'`,
    );
  }
  return seed;
}
