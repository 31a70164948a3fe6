import { AgentConfig } from '../config/gatewayConfig';

/** An agent's `rateLimit`, as the config validated it. */
export type RateLimit = NonNullable<AgentConfig['rateLimit']>;

/** The window lengths `rateLimit.per` can name. */
export const WINDOW_MS: Readonly<Record<RateLimit['per'], number>> = {
  second: 1_000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

/** No window is longer, so a window that started this long ago has ended. */
export const LONGEST_WINDOW_MS = WINDOW_MS.day;

/**
 * The fixed window `now` falls in. Windows are aligned to multiples of their
 * length since the epoch (days start at midnight UTC), so every replica
 * agrees on them without talking to the others.
 */
export function windowAt(now: number, windowMs: number) {
  const start = now - (now % windowMs);
  return { start, end: start + windowMs };
}
