import { performance } from 'node:perf_hooks';
import { CallOutcome, McpCaller } from '../__testUtils__/mcpCaller';

export interface ToolCall {
  name: string;
  args: Record<string, unknown>;
}

/**
 * Read tools against the sample catalog (examples/), each answered from
 * the catalog or the local TechDocs sites without outside services.
 */
export const READ_MIX: readonly ToolCall[] = [
  { name: 'who_am_i', args: {} },
  { name: 'get_entity', args: { ref: 'component:default/payments-api' } },
  { name: 'search_catalog', args: { term: 'payments' } },
  {
    name: 'get_entity_relations',
    args: { ref: 'component:default/checkout-service', direction: 'both' },
  },
  { name: 'list_owners', args: { ref: 'component:default/payments-api' } },
  { name: 'list_entities', args: { kind: 'Component', limit: 10 } },
  { name: 'get_entity', args: { ref: 'group:default/platform' } },
  { name: 'get_techdocs', args: { ref: 'component:default/checkout-service' } },
];

/**
 * Safe to repeat: the catalog only moves the entity's next refresh to now.
 * The gateway's own entity comes from an entity provider, not a file: the
 * catalog's refresh of an entity read from a file also refreshes its
 * location ancestors in the same transaction, which on PostgreSQL
 * deadlocks now and then with the processing of those locations (40P01,
 * an error to the agent) when refreshed every second under load.
 */
export const WRITE_CALL: ToolCall = {
  name: 'refresh_entity',
  args: { ref: 'api:default/mcp-gateway' },
};

/** One call as the client saw it; `ms` is measured with the monotonic clock. */
export interface TimedCall {
  tool: string;
  outcome: CallOutcome;
  ms: number;
}

/** No call of the runs should take this long; one that does is an error. */
const CALL_TIMEOUT_MS = 30_000;

export async function timedCall(
  caller: McpCaller,
  { name, args }: ToolCall,
): Promise<TimedCall> {
  const start = performance.now();
  const { kind, text, meta, sentAt, endedAt } = await caller.call(
    name,
    args,
    CALL_TIMEOUT_MS,
  );
  const ms = performance.now() - start;
  // Tens of thousands are kept: not the answers (a GC pause of this
  // process would count as latency), only what a failure says.
  const outcome: CallOutcome =
    kind === 'ok'
      ? { kind, text: '', sentAt, endedAt }
      : { kind, text, meta, sentAt, endedAt };
  return { tool: name, outcome, ms };
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    function onAbort() {
      clearTimeout(timer);
      reject(signal!.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Open-loop pacing: starts `fire(i)` at `startAt + i * intervalMs` (ms since
 * the epoch) for every such time before `endAt`, whether or not earlier
 * calls have ended, so a slow answer never lowers the offered rate.
 * Resolves with every result once all have ended.
 */
export async function paced<T>(
  schedule: {
    startAt: number;
    intervalMs: number;
    endAt: number;
    signal?: AbortSignal;
  },
  fire: (index: number) => Promise<T>,
): Promise<T[]> {
  const pending: Array<Promise<T>> = [];
  for (let index = 0; ; index++) {
    const at = schedule.startAt + index * schedule.intervalMs;
    if (at >= schedule.endAt) break;
    await sleep(at - Date.now(), schedule.signal);
    pending.push(fire(index));
  }
  return Promise.all(pending);
}
