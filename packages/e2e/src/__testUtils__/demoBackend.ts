import { spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import {
  backstageCli,
  freePort,
  outputOf,
  repoRoot,
  stopProcessGroup,
  untilReady,
} from './processes';

export interface DemoBackend {
  baseUrl: string;
  /**
   * The process started: the backend itself with `watch: false`, else the
   * CLI that runs it.
   */
  pid: number;
  /** Everything the process printed so far. */
  output(): string;
  /** Has the process ended (crashed, or stopped)? */
  exited(): boolean;
  stop(): Promise<void>;
}

export interface DemoBackendOptions {
  /**
   * true (default): `backstage-cli package start`, as `yarn start` runs it, which
   * restarts the backend when a source file changes. false: the same
   * transpiling loader and config, without the watcher: one process that
   * lives until stopped, as a deployed replica does.
   */
  watch?: boolean;
  /**
   * Config files layered over the root app-config.yaml (later wins), each
   * watched by Backstage: editing one reloads the config in the process.
   */
  configFiles?: string[];
  /** Aborting it while the backend starts stops the process, and rejects. */
  signal?: AbortSignal;
}

/** The loader `backstage-cli package start` runs the backend with. */
const nodeTransform = resolvePath(
  repoRoot,
  'node_modules/@backstage/cli-node/config/nodeTransform.cjs',
);

/**
 * Starts packages/backend exactly as the README's start command, `yarn
 * start`, does (`backstage-cli package start` with the root
 * app-config.yaml; see `watch`), on a free port, and resolves once it
 * prints its ready banner.
 */
export async function startDemoBackend(
  env: Record<string, string>,
  { watch = true, configFiles = [], signal }: DemoBackendOptions = {},
): Promise<DemoBackend> {
  signal?.throwIfAborted();
  const port = await freePort();
  // Without --config, Backstage reads the root app-config.yaml by itself.
  const configArgs = configFiles.length
    ? [resolvePath(repoRoot, 'app-config.yaml'), ...configFiles].flatMap(
        file => ['--config', file],
      )
    : [];
  const baseUrl = `http://localhost:${port}`;
  const child = spawn(
    process.execPath,
    watch
      ? [backstageCli, 'package', 'start', ...configArgs]
      : [
          '--enable-source-maps',
          '--require',
          nodeTransform,
          'src/index.ts',
          ...configArgs,
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
  const output = outputOf(child);
  // The process exits, so untilReady rejects saying so.
  const onAbort = () => void stopProcessGroup(child);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await untilReady(
      child,
      output,
      text => text.includes('MCP gateway ready:'),
      {
        what: 'The demo backend',
        timeoutMs: 120_000,
      },
    );
  } catch (error) {
    // A backend that never became ready must not outlive the test.
    await stopProcessGroup(child);
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }

  return {
    baseUrl,
    pid: child.pid!,
    output,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    stop: () => stopProcessGroup(child),
  };
}
