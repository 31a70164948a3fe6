import { GatewayRefusal } from '../core/refusal';
import { InFlightCalls } from './inFlightCalls';

describe('InFlightCalls', () => {
  it("aborts only the disabled agent's calls, with the refusal as reason", () => {
    const calls = new InFlightCalls();
    const first = calls.track('sleepy', new AbortController().signal);
    const second = calls.track('sleepy', new AbortController().signal);
    const other = calls.track('awake', new AbortController().signal);

    expect(calls.abortAgent('sleepy', "Agent 'sleepy' was disabled.")).toBe(2);

    for (const { signal } of [first, second]) {
      expect(signal.aborted).toBe(true);
      expect(signal.reason).toBeInstanceOf(GatewayRefusal);
      expect(signal.reason).toMatchObject({
        stage: 'control',
        code: 'agent-disabled',
        message: "Agent 'sleepy' was disabled.",
      });
    }
    expect(other.signal.aborted).toBe(false);
  });

  it('counts only calls that were still running', () => {
    const calls = new InFlightCalls();
    calls.track('sleepy', new AbortController().signal);
    expect(calls.abortAgent('sleepy', 'first')).toBe(1);
    expect(calls.abortAgent('sleepy', 'again')).toBe(0);
    expect(calls.abortAgent('nobody', 'none')).toBe(0);
  });

  it("passes the caller's abort on, with the caller's reason", () => {
    const calls = new InFlightCalls();
    const caller = new AbortController();
    const tracked = calls.track('awake', caller.signal);
    const cause = new Error('client went away');
    caller.abort(cause);
    expect(tracked.signal.aborted).toBe(true);
    expect(tracked.signal.reason).toBe(cause);
  });

  it('starts aborted when the caller already gave up', () => {
    const calls = new InFlightCalls();
    const tracked = calls.track('awake', AbortSignal.abort('gone'));
    expect(tracked.signal.aborted).toBe(true);
    expect(tracked.signal.reason).toBe('gone');
  });

  it('forgets a call once it is done, and no later abort reaches it', () => {
    const calls = new InFlightCalls();
    const caller = new AbortController();
    const tracked = calls.track('awake', caller.signal);
    calls.track('awake', new AbortController().signal).done();
    expect(calls.size).toBe(1);

    tracked.done();
    tracked.done(); // twice is harmless
    expect(calls.size).toBe(0);
    expect(calls.abortAgent('awake', 'too late')).toBe(0);
    caller.abort();
    expect(tracked.signal.aborted).toBe(false);
  });

  it('leaves nothing registered after many calls come and go', () => {
    const calls = new InFlightCalls();
    for (let i = 0; i < 100; i += 1) {
      calls.track(`agent-${i % 7}`, new AbortController().signal).done();
    }
    expect(calls.size).toBe(0);
    expect((calls as any).byAgent.size).toBe(0);
  });

  it('aborts every call when the gateway stops', () => {
    const calls = new InFlightCalls();
    const tracked = [
      calls.track('a', new AbortController().signal),
      calls.track('b', new AbortController().signal),
      calls.track('b', new AbortController().signal),
    ];
    expect(calls.abortAll('The MCP gateway is stopped.')).toBe(3);
    for (const { signal } of tracked) {
      expect(signal.reason).toMatchObject({
        stage: 'control',
        code: 'gateway-stopped',
        message: 'The MCP gateway is stopped.',
      });
    }
  });
});
