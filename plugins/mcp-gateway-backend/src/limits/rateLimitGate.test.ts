import { fakeLogger, serviceCaller } from '../__testUtils__/unitDoubles';
import { JsonObject } from '@backstage/types';
import { Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { InMemoryRateCounters, RateCounters } from './rateCounters';
import { RateLimitGate } from './rateLimitGate';

const read: Operation = {
  kind: 'tool',
  name: 'get_entity',
  access: 'read',
  source: 'gateway',
};
const write: Operation = { ...read, name: 'register', access: 'write' };
const destructive: Operation = {
  ...read,
  name: 'unregister',
  access: 'destructive',
};

// 12:00:43 on some day: 17 s left in the minute, as in the README's example.
const MINUTE_START = Date.UTC(2026, 10, 21, 12, 0, 0);
const AT_43_SECONDS = MINUTE_START + 43_000;

const agent = (id: string, rateLimit?: JsonObject) =>
  serviceCaller({
    id,
    tools: { allow: ['*'] },
    ...(rateLimit && { rateLimit }),
  });

/** Counters that remember every increment, to show what a decision touched. */
class RecordingCounters extends InMemoryRateCounters {
  readonly increments: Array<[string, number, number]> = [];

  async increment(bucket: string, windowStart: number, windowMs: number) {
    this.increments.push([bucket, windowStart, windowMs]);
    return super.increment(bucket, windowStart, windowMs);
  }
}

function gateAt(
  time: number,
  counters: RateCounters = new RecordingCounters(),
) {
  const clock = { time };
  const gate = new RateLimitGate(counters, () => clock.time);
  return { gate, clock, counters };
}

async function callsUntilRefused(
  gate: RateLimitGate,
  caller: ReturnType<typeof agent>,
  operation: Operation,
  max = 100,
) {
  for (let n = 1; n <= max; n++) {
    const [refusal] = await gate.decide(caller, [operation]);
    if (refusal) return { passed: n - 1, refusal };
  }
  return { passed: max, refusal: undefined };
}

describe('RateLimitGate', () => {
  it('is the limits stage and decides calls only, so listings spend nothing', () => {
    const { gate } = gateAt(0);
    expect(gate.stage).toBe('limits');
    expect(gate.appliesTo).toBe('call');
  });

  it('refuses the n+1th call in a window, saying when to try again', async () => {
    const { gate } = gateAt(AT_43_SECONDS);
    const caller = agent('incident-copilot', { requests: 3, per: 'minute' });

    const { passed, refusal } = await callsUntilRefused(gate, caller, read);

    expect(passed).toBe(3);
    expect(refusal).toBeInstanceOf(GatewayRefusal);
    expect(refusal).toMatchObject({
      stage: 'limits',
      code: 'rate-limited',
      retryAfterSeconds: 17,
    });
    expect(refusal!.message).toBe(
      "Agent 'incident-copilot' has used its rate limit of 3 requests per minute (mcpGateway.agents[incident-copilot].rateLimit). Try again in 17 seconds.",
    );
  });

  it('rounds the wait up to whole seconds', async () => {
    const caller = agent('a', { requests: 1, per: 'minute' });
    const { gate, clock } = gateAt(MINUTE_START + 59_001);
    await gate.decide(caller, [read]);
    const [late] = await gate.decide(caller, [read]);
    expect(late).toMatchObject({ retryAfterSeconds: 1 });
    expect(late!.message).toMatch(/Try again in 1 second\.$/);

    clock.time = MINUTE_START + 59_999;
    const [last] = await gate.decide(caller, [read]);
    expect(last).toMatchObject({ retryAfterSeconds: 1 });

    clock.time = MINUTE_START + 60_000 + 100;
    await gate.decide(caller, [read]);
    const [early] = await gate.decide(caller, [read]);
    expect(early).toMatchObject({ retryAfterSeconds: 60 });
  });

  it('lets calls pass again in the next window', async () => {
    const caller = agent('a', { requests: 2, per: 'minute' });
    const { gate, clock } = gateAt(AT_43_SECONDS);
    await callsUntilRefused(gate, caller, read);

    clock.time = MINUTE_START + 59_999;
    expect(await gate.decide(caller, [read])).toEqual([
      expect.objectContaining({ code: 'rate-limited' }),
    ]);
    clock.time = MINUTE_START + 60_000;
    const { passed } = await callsUntilRefused(gate, caller, read);
    expect(passed).toBe(2);
  });

  it.each([
    ['second', 1_000],
    ['minute', 60_000],
    ['hour', 3_600_000],
    ['day', 86_400_000],
  ])(
    'aligns %s windows to multiples of their length since the epoch',
    async (per, windowMs) => {
      const now = 5 * windowMs + 123;
      const counters = new RecordingCounters();
      const { gate } = gateAt(now, counters);
      const [refusal] = await gate.decide(agent('a', { requests: 1, per }), [
        read,
      ]);
      expect(refusal).toBeUndefined();
      expect(counters.increments).toEqual([
        ['a:requests', 5 * windowMs, windowMs],
      ]);
      const [second] = await gate.decide(agent('a', { requests: 1, per }), [
        read,
      ]);
      expect(second!.retryAfterSeconds).toBe(
        Math.ceil((windowMs - 123) / 1000),
      );
    },
  );

  it('exhausts the write budget while reads still pass', async () => {
    const caller = agent('scaffolder', {
      requests: 5,
      per: 'minute',
      writes: 2,
    });
    const { gate } = gateAt(AT_43_SECONDS);

    const writes = await callsUntilRefused(gate, caller, write);
    expect(writes.passed).toBe(2);
    expect(writes.refusal).toMatchObject({
      code: 'rate-limited',
      retryAfterSeconds: 17,
    });
    expect(writes.refusal!.message).toBe(
      "Agent 'scaffolder' has used its rate limit of 2 writes per minute (mcpGateway.agents[scaffolder].rateLimit.writes). Try again in 17 seconds.",
    );
    // A destructive operation is a write too.
    const [destroy] = await gate.decide(caller, [destructive]);
    expect(destroy).toMatchObject({ code: 'rate-limited' });

    // Refused writes spent no requests: the two that ran leave three reads.
    const reads = await callsUntilRefused(gate, caller, read);
    expect(reads.passed).toBe(3);
    expect(reads.refusal!.message).toContain(
      'rate limit of 5 requests per minute (mcpGateway.agents[scaffolder].rateLimit)',
    );
  });

  it('counts writes against the request budget too', async () => {
    const caller = agent('a', { requests: 3, per: 'minute', writes: 10 });
    const { gate } = gateAt(AT_43_SECONDS);
    await gate.decide(caller, [write]);
    await gate.decide(caller, [write]);
    const { passed, refusal } = await callsUntilRefused(gate, caller, read);
    expect(passed).toBe(1);
    expect(refusal!.message).toContain('3 requests per minute');
  });

  it('counts writes only against requests when no write budget is set', async () => {
    const counters = new RecordingCounters();
    const { gate } = gateAt(AT_43_SECONDS, counters);
    const caller = agent('a', { requests: 2, per: 'minute' });
    const { passed } = await callsUntilRefused(gate, caller, write);
    expect(passed).toBe(2);
    expect(new Set(counters.increments.map(([bucket]) => bucket))).toEqual(
      new Set(['a:requests']),
    );
  });

  it('refuses every write of an agent whose write budget is 0, without a retry time', async () => {
    const counters = new RecordingCounters();
    const { gate } = gateAt(AT_43_SECONDS, counters);
    const caller = agent('a', { requests: 5, per: 'minute', writes: 0 });
    const [refusal, pass] = await gate.decide(caller, [write, read]);
    expect(refusal).toMatchObject({
      code: 'rate-limited',
      retryAfterSeconds: undefined,
    });
    expect(refusal!.message).toBe(
      "Agent 'a' may make no writes (mcpGateway.agents[a].rateLimit.writes: 0).",
    );
    expect(pass).toBeUndefined();
    expect(counters.increments.map(([bucket]) => bucket)).toEqual([
      'a:requests',
    ]);
  });

  it('keeps agents apart', async () => {
    const { gate } = gateAt(AT_43_SECONDS);
    const busy = agent('busy', { requests: 1, per: 'minute' });
    const calm = agent('calm', { requests: 1, per: 'minute' });
    await callsUntilRefused(gate, busy, read);
    expect(await gate.decide(calm, [read])).toEqual([undefined]);
  });

  it('touches no counter for an agent without a rate limit', async () => {
    const counters = { increment: jest.fn() };
    const { gate } = gateAt(AT_43_SECONDS, counters);
    const decisions = await gate.decide(agent('free'), [read, write, read]);
    expect(decisions).toEqual([undefined, undefined, undefined]);
    expect(counters.increment).not.toHaveBeenCalled();
  });

  it('answers one decision per operation, spending one unit each', async () => {
    const { gate } = gateAt(AT_43_SECONDS);
    const caller = agent('a', { requests: 2, per: 'minute' });
    const decisions = await gate.decide(caller, [read, read, read]);
    expect(decisions).toEqual([
      undefined,
      undefined,
      expect.objectContaining({ code: 'rate-limited' }),
    ]);
    expect(await gate.decide(caller, [])).toEqual([]);
  });

  it('refuses calls when the counters fail, without internal detail, and says so once in the log', async () => {
    const logger = fakeLogger();
    let failing = true;
    const counters = new InMemoryRateCounters();
    const flaky: RateCounters = {
      increment: async (...args) => {
        if (failing) {
          throw new Error('connect ECONNREFUSED 10.0.0.7:6379 (secret-host)');
        }
        return counters.increment(...args);
      },
    };
    const gate = new RateLimitGate(flaky, () => AT_43_SECONDS, logger);
    const caller = agent('a', { requests: 5, per: 'minute', writes: 1 });

    const decisions = await gate.decide(caller, [read, write]);
    expect(decisions).toHaveLength(2);
    for (const refusal of decisions) {
      expect(refusal).toBeInstanceOf(GatewayRefusal);
      expect(refusal).toMatchObject({
        stage: 'limits',
        code: 'limits-unavailable',
        retryAfterSeconds: undefined,
      });
      expect(refusal!.message).toBe(
        "The gateway could not check this agent's rate limit, so the call was refused. Try again shortly.",
      );
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toContain('ECONNREFUSED');

    failing = false;
    expect(await gate.decide(caller, [read])).toEqual([undefined]);
    expect(logger.info).toHaveBeenCalledTimes(1);
  });
});
