import { spawn } from 'node:child_process';
import {
  backstageCli,
  freePort,
  outputOf,
  repoRoot,
  stopProcessGroup,
  untilReady,
} from './processes';

export interface DemoApp {
  /** Where the browser goes: the app's dev server. */
  appUrl: string;
  /** The backend the app calls, and MCP clients too. */
  backendUrl: string;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Starts the app and the backend together, as the README's start command
 * (`yarn start`, i.e. `backstage-cli repo start`) does, on free ports, and
 * resolves once the app is compiled and the backend is ready.
 */
export async function startDemoApp(
  env: Record<string, string>,
): Promise<DemoApp> {
  const [appPort, backendPort] = [await freePort(), await freePort()];
  const appUrl = `http://localhost:${appPort}`;
  const backendUrl = `http://localhost:${backendPort}`;
  const child = spawn(process.execPath, [backstageCli, 'repo', 'start'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NODE_ENV: 'development',
      APP_CONFIG_app_baseUrl: appUrl,
      APP_CONFIG_backend_baseUrl: backendUrl,
      APP_CONFIG_backend_listen_port: String(backendPort),
      APP_CONFIG_backend_cors_origin: appUrl,
      ...env,
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = outputOf(child);
  try {
    await untilReady(
      child,
      output,
      text =>
        text.includes('MCP gateway ready:') &&
        /compiled successfully|compiled with \d+ warning/i.test(text),
      { what: 'yarn start (app and backend)', timeoutMs: 300_000 },
    );
  } catch (error) {
    await stopProcessGroup(child);
    throw error;
  }
  return { appUrl, backendUrl, output, stop: () => stopProcessGroup(child) };
}
