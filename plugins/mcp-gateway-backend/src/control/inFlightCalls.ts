import { GatewayRefusal } from '../core/refusal';

interface TrackedCall {
  controller: AbortController;
}

/**
 * The calls running on this replica, by agent, so the kill switch can cut
 * them: the signal a call runs under aborts when its caller goes away or
 * when its agent (or the whole gateway) is switched off.
 */
export class InFlightCalls {
  private readonly byAgent = new Map<string, Set<TrackedCall>>();

  /**
   * Registers a call. Run it under the returned signal, and call `done()`
   * when it ends, however it ends.
   */
  track(
    agentId: string,
    signal: AbortSignal,
  ): { signal: AbortSignal; done(): void } {
    const call: TrackedCall = { controller: new AbortController() };
    const onCallerAbort = () => call.controller.abort(signal.reason);
    if (signal.aborted) onCallerAbort();
    else signal.addEventListener('abort', onCallerAbort, { once: true });

    let calls = this.byAgent.get(agentId);
    if (!calls) {
      calls = new Set();
      this.byAgent.set(agentId, calls);
    }
    calls.add(call);

    let done = false;
    return {
      signal: call.controller.signal,
      done: () => {
        if (done) return;
        done = true;
        signal.removeEventListener('abort', onCallerAbort);
        const current = this.byAgent.get(agentId);
        current?.delete(call);
        if (current?.size === 0) this.byAgent.delete(agentId);
      },
    };
  }

  /** Aborts this agent's running calls; returns how many were still running. */
  abortAgent(agentId: string, reason: string): number {
    const refusal = new GatewayRefusal('control', 'agent-disabled', reason);
    return abort(this.byAgent.get(agentId), refusal);
  }

  /** Aborts every running call (the gateway was stopped). */
  abortAll(reason: string): number {
    const refusal = new GatewayRefusal('control', 'gateway-stopped', reason);
    let count = 0;
    for (const calls of this.byAgent.values()) count += abort(calls, refusal);
    return count;
  }

  /** How many calls are registered (for tests and metrics). */
  get size(): number {
    let count = 0;
    for (const calls of this.byAgent.values()) count += calls.size;
    return count;
  }
}

function abort(calls: Set<TrackedCall> | undefined, reason: GatewayRefusal) {
  let count = 0;
  for (const { controller } of calls ?? []) {
    if (controller.signal.aborted) continue;
    controller.abort(reason);
    count += 1;
  }
  return count;
}
