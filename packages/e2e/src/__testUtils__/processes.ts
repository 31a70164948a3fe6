import { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve as resolvePath } from 'node:path';

export const repoRoot = resolvePath(__dirname, '../../../..');

/** The Backstage CLI of this repository, as `yarn start` runs it. */
export const backstageCli = resolvePath(
  repoRoot,
  'node_modules/@backstage/cli/bin/backstage-cli',
);

/** Collects what a process prints, on both streams. */
export function outputOf(child: ChildProcess): () => string {
  let output = '';
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));
  return () => output;
}

/**
 * Resolves once `ready(output)` holds; rejects, with the output's tail,
 * when the process exits first or the time is up.
 */
export function untilReady(
  child: ChildProcess,
  output: () => string,
  ready: (output: string) => boolean,
  { what, timeoutMs }: { what: string; timeoutMs: number },
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timers: { timeout?: NodeJS.Timeout; check?: NodeJS.Timeout } = {};
    function done(error?: Error) {
      clearInterval(timers.check);
      clearTimeout(timers.timeout);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    }
    function onExit(code: number | null) {
      done(new Error(`${what} exited with ${code}:\n${output().slice(-3000)}`));
    }
    timers.timeout = setTimeout(
      () =>
        done(
          new Error(`${what} did not start in time:\n${output().slice(-3000)}`),
        ),
      timeoutMs,
    );
    timers.check = setInterval(() => {
      if (ready(output())) done();
    }, 200);
    child.on('exit', onExit);
  });
}

/** Stops a process started with `detached: true`, and everything it started. */
export async function stopProcessGroup(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) {
    return;
  }
  const exited = new Promise(resolve => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timeout = setTimeout(
    () => process.kill(-child.pid!, 'SIGKILL'),
    10_000,
  );
  await exited;
  clearTimeout(timeout);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
