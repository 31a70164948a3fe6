import { McpCaller } from '../__testUtils__/mcpCaller';
import { callRows, RunResult } from './runResult';
import { round1 } from './latency';
import { LoadAgent } from './loadConfig';
import { LoadBackend } from './loadBackend';
import { watchLoopDelay } from './loopDelay';
import { FairnessFigures, fairnessVerdict } from './fairnessVerdict';
import { rateWindow } from './rateWindow';
import { QuietClient } from './quietClient';
import { LoadSettings } from './settings';
import { paced, READ_MIX, sleep, timedCall } from './workload';

/**
 * Run 2: the quiet agent alone (the baseline) until a rate window starts,
 * then from that window on the quiet agent again with every noisy agent
 * driven at `overdrive` times its limit. All paced (open loop). Starting
 * on a window boundary makes each noisy agent's budget exact.
 */
export async function fairnessRun(
  backend: LoadBackend,
  settings: LoadSettings,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<RunResult<FairnessFigures>> {
  const f = settings.fairness;
  const window = rateWindow(f.window, f.noisyLimit);
  // Calls start this far inside the first window and stop this far before
  // the end of the last, so none lands in a window the run did not plan.
  const edgeMs = Math.min(250, window.ms / 8);
  const { noisy, quiet } = backend.agents;
  const callers: McpCaller[] = [];
  const connect = async (agent: LoadAgent) => {
    const caller = await backend.connect(agent);
    callers.push(caller);
    return caller;
  };
  let quietClient: QuietClient | undefined;
  try {
    const noisyCallers = await Promise.all(noisy.map(connect));
    quietClient = await QuietClient.start(backend.url, quiet.token);
    const quietCalls = (startAt: number, endAt: number) =>
      quietClient!.calls(
        { startAt, endAt, intervalMs: 1000 / f.quietPerSecond },
        signal,
      );

    // Run 1's aftermath (garbage, catalog work) is not the baseline's.
    await sleep(f.settleSeconds * 1000, signal);
    // At least baselineSeconds, ending where a window starts.
    const aloneStart = Date.now() + 100;
    const loopDelay = watchLoopDelay();
    const windowStart =
      Math.ceil((aloneStart + f.baselineSeconds * 1000 + edgeMs) / window.ms) *
      window.ms;
    const aloneEnd = windowStart - edgeMs;
    log(
      `Run 2: the quiet agent alone for ${round1(
        (aloneEnd - aloneStart) / 1000,
      )} s, until ${new Date(windowStart).toISOString()}`,
    );
    const alone = await quietCalls(aloneStart, aloneEnd);

    const loadStart = windowStart + edgeMs;
    const loadEnd = loadStart + settings.seconds * 1000 - 2 * edgeMs;
    const noisyInterval = window.ms / (window.limit * f.overdrive);
    log(
      `Run 2: ${noisy.length} noisy agents at ${round1(
        1000 / noisyInterval,
      )} calls/s each (limit ${window.limit} per ${
        window.per
      }) and the quiet agent, for ${(loadEnd - loadStart) / 1000} s`,
    );
    const [underLoad, ...noisyRuns] = await Promise.all([
      quietCalls(loadStart, loadEnd),
      // Staggered within the edge, so the agents do not all call at once.
      ...noisyCallers.map((caller, k) =>
        paced(
          {
            startAt: loadStart + (k * edgeMs) / noisyCallers.length,
            intervalMs: noisyInterval,
            endAt: loadEnd,
            signal,
          },
          i => timedCall(caller, READ_MIX[(i + k) % READ_MIX.length]),
        ),
      ),
    ]);
    const clientsLoop = loopDelay();
    log('Run 2 done; counting audit records');

    const verdict = fairnessVerdict({
      settings,
      window,
      agents: { noisy, quiet },
      audit: await backend.audit([...noisy, quiet]),
      alone: { calls: alone, ms: aloneEnd - aloneStart },
      underLoad: { calls: underLoad, ms: loadEnd - loadStart },
      noisyRuns,
      windowStart,
      loopDelay: clientsLoop,
    });
    return {
      ...verdict,
      calls: [
        ...callRows('run2 quiet alone', alone),
        ...callRows('run2 quiet under load', underLoad),
        ...noisyRuns.flatMap((calls, k) =>
          callRows(`run2 noisy-${k + 1}`, calls),
        ),
      ],
    };
  } finally {
    await Promise.all([
      ...callers.map(caller => caller.close().catch(() => {})),
      quietClient?.close(),
    ]);
  }
}
