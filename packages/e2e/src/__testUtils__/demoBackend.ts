import { ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve as resolvePath } from 'node:path';

const repoRoot = resolvePath(__dirname, '../../../..');

export interface DemoBackend {
  baseUrl: string;
  /** Everything the process printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts packages/backend exactly as the README's start command does
 * (`backstage-cli package start` with the root app-config.yaml), on a free
 * port, and resolves once it prints its ready banner.
 */
export async function startDemoBackend(
  env: Record<string, string>,
): Promise<DemoBackend> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const child = spawn(
    process.execPath,
    [
      resolvePath(repoRoot, 'node_modules/@backstage/cli/bin/backstage-cli'),
      'package',
      'start',
    ],
    {
      cwd: resolvePath(repoRoot, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: baseUrl,
        ...env,
      },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', chunk => (output += chunk));
  child.stderr!.on('data', chunk => (output += chunk));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `The demo backend did not start in time:\n${output.slice(-3000)}`,
          ),
        ),
      120_000,
    );
    const check = setInterval(() => {
      if (output.includes('MCP gateway ready:')) {
        clearInterval(check);
        clearTimeout(timer);
        resolve();
      }
    }, 200);
    child.on('exit', code => {
      clearInterval(check);
      clearTimeout(timer);
      reject(
        new Error(
          `The demo backend exited with ${code}:\n${output.slice(-3000)}`,
        ),
      );
    });
  });

  return {
    baseUrl,
    output: () => output,
    stop: () => stopProcessGroup(child),
  };
}

async function stopProcessGroup(child: ChildProcess) {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise(resolve => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timeout = setTimeout(
    () => process.kill(-child.pid!, 'SIGKILL'),
    10_000,
  );
  await exited;
  clearTimeout(timeout);
}

function freePort(): Promise<number> {
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
