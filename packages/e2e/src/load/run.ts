/*
 * `yarn load`: the gateway under load, as one backend process on PostgreSQL
 * and Redis with durable audit and rate limits on.
 *   Run 1: 64 MCP SDK clients calling read tools back to back, plus one
 *     write a second: zero errors, every call audited, RSS steady.
 *   Run 2: 8 agents at twice their rate limit and a quiet one under it:
 *     each noisy agent gets its budget and clear refusals; the quiet one
 *     keeps its latency.
 * Prints a table, then as its last line a JSON object of every figure
 * (also written to artifacts/load/results.json), and exits non-zero
 * naming each criterion that failed. LOAD_SECONDS and LOAD_WARMUP_SECONDS
 * shorten the runs while developing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../__testUtils__/processes';
import {
  POSTGRES,
  REDIS,
  unreachableServices,
} from '../__testUtils__/servicesReachable';
import { Cleanups } from './cleanups';
import { CallRow, Criterion } from './runResult';
import { fairnessRun } from './fairnessRun';
import { LoadBackend, startLoadBackend } from './loadBackend';
import { LoadResults, renderReport } from './report';
import { loadSettings } from './settings';
import { throughputRun } from './throughputRun';

const ARTIFACTS = join(repoRoot, 'artifacts/load');

const log = (line: string) =>
  process.stderr.write(`[load ${new Date().toISOString()}] ${line}\n`);

/** What was measured: the figures of a tree with local edits are its own. */
function gitState(): LoadResults['git'] {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trim();
  try {
    const changed = git('status', '--porcelain');
    return {
      head: git('rev-parse', 'HEAD'),
      changed_files: changed ? changed.split('\n').length : 0,
    };
  } catch {
    return { head: 'unknown', changed_files: -1 };
  }
}

async function main(): Promise<number> {
  const startedAt = Date.now();
  const git = gitState();
  const settings = loadSettings();
  const cleanups = new Cleanups();
  // Ctrl-C stops the runs; the backend is in its own process group, so
  // only the cleanup below stops it and drops its databases.
  const interrupt = new AbortController();
  // A stray rejection must not end the process before the cleanup.
  process.on('unhandledRejection', error =>
    log(`Unhandled: ${error instanceof Error ? error.stack : error}`),
  );
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: stopping, then cleaning up`);
      interrupt.abort(new Error(`Interrupted by ${signal}`));
    });
  }

  let backend: LoadBackend | undefined;
  let results: LoadResults | undefined;
  let calls: CallRow[] = [];
  let exitCode = 1;
  try {
    const missing = unreachableServices([POSTGRES, REDIS]);
    if (missing.length > 0) {
      throw new Error(`${missing.join(' and ')} not reachable on 127.0.0.1`);
    }
    backend = await startLoadBackend({
      settings,
      cleanups,
      signal: interrupt.signal,
      log,
      logFile: join(ARTIFACTS, 'backend.log'),
    });
    const run1 = await throughputRun(backend, settings, interrupt.signal, log);
    const run2 = await fairnessRun(backend, settings, interrupt.signal, log);
    const criteria: Criterion[] = [
      ...run1.criteria,
      ...run2.criteria,
      {
        name: 'the backend ran throughout',
        pass: !backend.exited(),
        detail: backend.exited() ? 'the process exited' : 'still running',
      },
    ];
    const failed = criteria.filter(c => !c.pass).map(c => c.name);
    results = {
      run: backend.run,
      date: new Date(startedAt).toISOString(),
      node: process.version,
      cpus: cpus().length,
      git,
      duration_s: 0,
      run1: run1.figures,
      run2: run2.figures,
      criteria,
      pass: failed.length === 0,
      failed,
    };
    calls = [...run1.calls, ...run2.calls];
    exitCode = failed.length === 0 ? 0 : 1;
  } catch (error) {
    exitCode = interrupt.signal.aborted ? 130 : 1;
    log(
      interrupt.signal.aborted
        ? String(interrupt.signal.reason.message)
        : `Load run failed: ${error instanceof Error ? error.stack : error}`,
    );
    if (backend && !interrupt.signal.aborted) {
      log(`The backend's last output:\n${backend.output().slice(-4000)}`);
    }
  } finally {
    log('Stopping the backend and dropping its databases');
    await cleanups.run(log).catch(() => {
      exitCode ||= 1;
    });
  }

  if (results) {
    results.duration_s = Math.round((Date.now() - startedAt) / 1000);
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(
      join(ARTIFACTS, 'results.json'),
      `${JSON.stringify(results, null, 2)}\n`,
    );
    // Every call, for a closer look: [phase, tool, sentAt, ms, kind].
    writeFileSync(
      join(ARTIFACTS, 'calls.json'),
      `[\n${calls.map(row => JSON.stringify(row)).join(',\n')}\n]\n`,
    );
    process.stdout.write(`${renderReport(results)}\n`);
    process.stdout.write(`${JSON.stringify(results)}\n`);
  }
  return exitCode;
}

main().then(
  code => process.exit(code),
  error => {
    log(`Unexpected: ${error instanceof Error ? error.stack : error}`);
    process.exit(1);
  },
);
