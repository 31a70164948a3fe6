import { LoadAgent } from './loadConfig';
import { TimedCall } from './workload';

/**
 * The gateway's rate windows (plugins/mcp-gateway-backend/src/limits):
 * fixed, aligned to multiples of their length since the epoch, counted
 * when the gateway decides a call.
 */
export interface RateWindow {
  per: 'second' | 'minute';
  ms: number;
  /** The requests an agent may make in one window. */
  limit: number;
}

export function rateWindow(per: 'second' | 'minute', limit: number) {
  return { per, ms: per === 'second' ? 1_000 : 60_000, limit };
}

export function windowStartOf(time: number, window: RateWindow): number {
  return time - (time % window.ms);
}

/** What the agent may spend: per window, the limit or the calls sent in it. */
export function budgetOf(calls: TimedCall[], window: RateWindow): number {
  const perWindow = new Map<number, number>();
  for (const { outcome } of calls) {
    const start = windowStartOf(outcome.sentAt, window);
    perWindow.set(start, (perWindow.get(start) ?? 0) + 1);
  }
  let budget = 0;
  for (const sent of perWindow.values()) budget += Math.min(window.limit, sent);
  return budget;
}

/**
 * A refusal that says it is the rate limit, and when to retry: its wait
 * (in the text and in `_meta`) runs to the end of the call's window.
 */
export function isClearRefusal(
  { outcome }: TimedCall,
  agent: LoadAgent,
  window: RateWindow,
): boolean {
  if (outcome.kind !== 'refused') return false;
  const requests = window.limit === 1 ? 'request' : 'requests';
  const match = new RegExp(
    `^Agent '${agent.id}' has used its rate limit of ${window.limit} ${requests} per ${window.per} \\(mcpGateway\\.agents\\[${agent.id}\\]\\.rateLimit\\)\\. Try again in (\\d+) seconds?\\.$`,
  ).exec(outcome.text);
  if (!match) return false;
  const wait = Number(match[1]);
  return (
    outcome.meta?.['mcp-gateway/retryAfter'] === wait &&
    waitFitsSomeDecision(outcome.sentAt, outcome.endedAt, wait, window)
  );
}

/**
 * The gateway decided at some time t between sending and the answer, and
 * said "wait ceil((end of t's window - t) / 1 s)": is there such a t?
 */
function waitFitsSomeDecision(
  sentAt: number,
  endedAt: number,
  waitSeconds: number,
  window: RateWindow,
): boolean {
  const firstEnd = windowStartOf(sentAt, window) + window.ms;
  for (let end = firstEnd; end - window.ms <= endedAt; end += window.ms) {
    const from = Math.max(sentAt, end - window.ms, end - waitSeconds * 1000);
    const to = Math.min(endedAt, end - 1, end - (waitSeconds - 1) * 1000 - 1);
    if (from <= to) return true;
  }
  return false;
}
