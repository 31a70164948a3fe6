/*
 * The quiet agent's MCP client, in a thread of its own (see quietClient.ts):
 * the noisy clients' work in the main thread never delays its calls or the
 * clock that times them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { McpCaller } from '../__testUtils__/mcpCaller';
import { paced, READ_MIX, timedCall } from './workload';

export interface QuietPhaseRequest {
  startAt: number;
  endAt: number;
  intervalMs: number;
}

async function serve() {
  const { url, token } = workerData as { url: string; token: string };
  const caller = await McpCaller.connect(url, token);
  parentPort!.on('message', async (request: QuietPhaseRequest | 'close') => {
    if (request === 'close') {
      await caller.close();
      parentPort!.close();
      return;
    }
    const calls = await paced(request, i =>
      timedCall(caller, READ_MIX[i % READ_MIX.length]),
    );
    parentPort!.postMessage({ calls });
  });
  parentPort!.postMessage({ ready: true });
}

serve().catch(error => parentPort!.postMessage({ error: String(error) }));
