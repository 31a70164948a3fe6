import { CallOutcome, McpCaller } from './mcpCaller';

/** One call of the load: where it went, what it asked, how it ended. */
export interface LoadCall {
  replica: string;
  /** Unique in the run, so its audit record can be found by it. */
  term: string;
  outcome: CallOutcome;
}

/** A running load; `stop()` waits for the calls in flight and returns them all. */
export interface CallLoad {
  calls: readonly LoadCall[];
  stop(): Promise<LoadCall[]>;
}

/**
 * Keeps `workersPerTarget` callers busy against each target with
 * `search_catalog` calls, each with a term of its own, until stopped.
 */
export function startCallLoad(options: {
  targets: Array<{ replica: string; caller: McpCaller }>;
  termPrefix: string;
  workersPerTarget: number;
  /** A call that takes longer counts as failed (and is reported as such). */
  timeoutMs: number;
  pauseMs?: number;
}): CallLoad {
  const calls: LoadCall[] = [];
  let stopped = false;
  let sequence = 0;
  const worker = async (replica: string, caller: McpCaller) => {
    while (!stopped) {
      const term = `${options.termPrefix}${(sequence += 1)}`;
      const outcome = await caller.call(
        'search_catalog',
        { term },
        options.timeoutMs,
      );
      calls.push({ replica, term, outcome });
      await new Promise(resolve => setTimeout(resolve, options.pauseMs ?? 5));
    }
  };
  const workers = options.targets.flatMap(({ replica, caller }) =>
    Array.from({ length: options.workersPerTarget }, () =>
      worker(replica, caller),
    ),
  );
  return {
    calls,
    async stop() {
      stopped = true;
      await Promise.all(workers);
      return calls;
    },
  };
}
