import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { QuietPhaseRequest } from './quietWorker';
import { TimedCall } from './workload';

type WorkerMessage =
  { ready: true } | { calls: TimedCall[] } | { error: string };

/**
 * The quiet agent's client, run in a worker thread: its latencies are the
 * gateway's, not those of this process's event loop, which the noisy
 * clients keep busy. The worker inherits this process's TypeScript loader
 * (its --require).
 */
export class QuietClient {
  private readonly exited: Promise<number>;
  private failure?: Error;

  private constructor(private readonly worker: Worker) {
    this.exited = new Promise(resolve => worker.once('exit', resolve));
    // Without a listener, an error in the thread would end this process.
    worker.on('error', error => (this.failure = error));
  }

  static async start(url: string, token: string): Promise<QuietClient> {
    const worker = new Worker(
      `require(${JSON.stringify(join(__dirname, 'quietWorker.ts'))})`,
      { eval: true, workerData: { url, token } },
    );
    const client = new QuietClient(worker);
    try {
      await client.next();
    } catch (error) {
      await worker.terminate();
      throw error;
    }
    return client;
  }

  /** Paced calls of the read mix from startAt to endAt (ms since the epoch). */
  async calls(
    request: QuietPhaseRequest,
    signal: AbortSignal,
  ): Promise<TimedCall[]> {
    signal.throwIfAborted();
    const onAbort = () => void this.worker.terminate();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.worker.postMessage(request);
      const message = await this.next();
      if (!('calls' in message)) throw new Error('No calls from the thread');
      return message.calls;
    } catch (error) {
      throw signal.aborted ? signal.reason : error;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    // It ends by itself once its client is closed; this is the backstop.
    const timer = setTimeout(() => void this.worker.terminate(), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** The thread's next message; its error, or its end, rejects. */
  private next(): Promise<WorkerMessage> {
    return new Promise((resolve, reject) => {
      const listeners = {
        message: (message: WorkerMessage) => {
          this.worker.off('exit', listeners.exit);
          if ('error' in message) reject(new Error(message.error));
          else resolve(message);
        },
        exit: (code: number) => {
          this.worker.off('message', listeners.message);
          reject(
            this.failure ??
              new Error(`The quiet client's thread exited with ${code}`),
          );
        },
      };
      this.worker.once('message', listeners.message);
      this.worker.once('exit', listeners.exit);
    });
  }
}
