import { McpCaller } from '../__testUtils__/mcpCaller';
import { sumTallies } from './auditTally';
import { LoadBackend } from './loadBackend';
import { watchLoopDelay } from './loopDelay';
import { callRows, RunResult } from './runResult';
import { LoadSettings } from './settings';
import { ThroughputFigures, throughputVerdict } from './throughputVerdict';
import {
  paced,
  READ_MIX,
  sleep,
  TimedCall,
  timedCall,
  WRITE_CALL,
} from './workload';

/**
 * Run 1: `clients` MCP SDK clients, spread over the reader agents, each
 * calling the read mix back to back, plus one writer paced at
 * `writesPerSecond`; a warm-up first, then the measured window. RSS is read
 * at the end of each, while the load is still on.
 */
export async function throughputRun(
  backend: LoadBackend,
  settings: LoadSettings,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<RunResult<ThroughputFigures>> {
  const { clients, writesPerSecond } = settings.throughput;
  const { readers, writer } = backend.agents;
  const callers: McpCaller[] = [];
  try {
    const readerCallers = await Promise.all(
      Array.from({ length: clients }, (_, i) =>
        backend.connect(readers[i % readers.length]),
      ),
    );
    callers.push(...readerCallers);
    const writerCaller = await backend.connect(writer);
    callers.push(writerCaller);

    log(
      `Run 1: ${clients} clients over ${readers.length} agents and ${writesPerSecond} write/s: ${settings.warmupSeconds} s warm-up, then ${settings.seconds} s`,
    );
    const startAt = Date.now();
    const warmEnd = startAt + settings.warmupSeconds * 1000;
    const endAt = warmEnd + settings.seconds * 1000;
    const calls: TimedCall[] = [];

    // Closed loop: each client sends its next call when the last one ends,
    // starting at its own place in the mix so the tools interleave.
    const reading = readerCallers.map(async (caller, i) => {
      for (let n = i; Date.now() < endAt && !signal.aborted; n++) {
        calls.push(await timedCall(caller, READ_MIX[n % READ_MIX.length]));
      }
    });
    const writing = paced(
      { startAt, intervalMs: 1000 / writesPerSecond, endAt, signal },
      async () => calls.push(await timedCall(writerCaller, WRITE_CALL)),
    );
    // Awaited at the end; interrupted before that, the sleeps below say so.
    writing.catch(() => {});

    await sleep(warmEnd - Date.now(), signal);
    const rssWarm = backend.rssMb();
    let rssPeak = rssWarm;
    const sampling = setInterval(() => {
      if (!backend.exited()) rssPeak = Math.max(rssPeak, backend.rssMb());
    }, 1000);
    const backendCpu = backend.cpuSeconds();
    const clientsCpu = process.cpuUsage();
    const loopDelay = watchLoopDelay();
    await sleep(endAt - Date.now(), signal).finally(() =>
      clearInterval(sampling),
    );
    const rssEnd = backend.rssMb();
    const clientsLoop = loopDelay();
    const clientsUsed = process.cpuUsage(clientsCpu);
    const cpuSeconds = {
      backend: backend.cpuSeconds() - backendCpu,
      clients: (clientsUsed.user + clientsUsed.system) / 1e6,
    };
    await Promise.all([...reading, writing]);
    log(`Run 1 done: ${calls.length} calls; counting audit records`);

    const audit = sumTallies(
      (await backend.audit([...readers, writer])).values(),
    );
    return {
      ...throughputVerdict(settings, {
        agents: readers.length + 1,
        calls,
        warmEnd,
        audit,
        rssMb: { warm: rssWarm, end: rssEnd, peak: Math.max(rssPeak, rssEnd) },
        cpuSeconds,
        loopDelay: clientsLoop,
      }),
      calls: [
        ...callRows(
          'run1 warm-up',
          calls.filter(call => call.outcome.sentAt < warmEnd),
        ),
        ...callRows(
          'run1',
          calls.filter(call => call.outcome.sentAt >= warmEnd),
        ),
      ],
    };
  } finally {
    await Promise.all(callers.map(caller => caller.close().catch(() => {})));
  }
}
