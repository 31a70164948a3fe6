import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DemoBackend, startDemoBackend } from './__testUtils__/demoBackend';
import { McpCaller } from './__testUtils__/mcpCaller';

jest.setTimeout(180_000);

const TOKEN = `e2e-reload-${Math.random().toString(36).slice(2)}`;

/** The demo's incident-copilot principal, under an agent policy of this test's. */
const agent = (policy: Record<string, unknown>) => ({
  id: 'reloaded-copilot',
  principals: [{ service: 'incident-copilot' }],
  ...policy,
});

/**
 * A real backend process whose app-config file is edited while it runs:
 * Backstage's file watcher reloads it, and the gateway follows.
 */
describe('editing app-config while the backend runs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-gateway-reload-'));
  const overlay = join(dir, 'app-config.reload.yaml');
  const writeGatewayConfig = (mcpGateway: Record<string, unknown>) =>
    // JSON is YAML; one small write, so the watcher never reads half a file.
    writeFileSync(overlay, JSON.stringify({ mcpGateway }));
  let backend: DemoBackend;
  let copilot: McpCaller;

  /** Polls until `read` gives `expected`; says how long that took. */
  async function eventually<T>(read: () => Promise<T>, expected: T) {
    const startedAt = Date.now();
    let last: T | undefined;
    while (Date.now() - startedAt < 30_000) {
      last = await read();
      if (JSON.stringify(last) === JSON.stringify(expected)) {
        return Date.now() - startedAt;
      }
      await new Promise(resolve => setTimeout(resolve, 100));
    }
    throw new Error(
      `Still ${JSON.stringify(last)}, not ${JSON.stringify(expected)}`,
    );
  }

  beforeAll(async () => {
    writeGatewayConfig({
      agents: [agent({ tools: { allow: ['who_am_i', 'get_entity'] } })],
    });
    backend = await startDemoBackend(
      { MCP_GATEWAY_DEMO_TOKEN: TOKEN },
      { watch: false, configFiles: [overlay] },
    );
    copilot = await McpCaller.connect(
      `${backend.baseUrl}/api/mcp-gateway`,
      TOKEN,
    );
  });

  afterAll(async () => {
    await copilot?.close();
    await backend?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('applies an edited policy without a restart', async () => {
    expect(await copilot.listToolNames()).toEqual(['get_entity', 'who_am_i']);

    writeGatewayConfig({
      agents: [
        agent({
          tools: { allow: ['who_am_i', 'get_entity'], deny: ['get_entity'] },
        }),
      ],
    });
    const tookMs = await eventually(
      () => copilot.listToolNames(),
      ['who_am_i'],
    );
    process.stdout.write(`config reload seen after ${tookMs} ms\n`);

    const refused = await copilot.call('get_entity', { ref: 'risk-scoring' });
    expect(refused.kind).toBe('refused');
    expect(refused.text).toContain('get_entity');
    expect(backend.output()).toContain(
      'Reloaded the MCP gateway configuration: policies changed: reloaded-copilot',
    );
    expect(backend.exited()).toBe(false);
  });

  it('refuses an invalid edit, logs it, and keeps serving the last valid policy', async () => {
    writeGatewayConfig({
      agents: [agent({ tools: { allow: ['*'] }, readOnly: 'no' })],
    });
    await eventually(
      async () =>
        backend
          .output()
          .includes(
            'Refused the reloaded MCP gateway configuration; the last valid one stays in force. Invalid MCP gateway configuration. mcpGateway.agents[0].readOnly:',
          ),
      true,
    );

    expect(await copilot.listToolNames()).toEqual(['who_am_i']);
    expect((await copilot.call('who_am_i')).kind).toBe('ok');
    expect(backend.exited()).toBe(false);
  });

  it('switches the agent off from config, and on again', async () => {
    const whoAmI = () => copilot.call('who_am_i');
    writeGatewayConfig({
      agents: [agent({ tools: { allow: ['who_am_i'] }, enabled: false })],
    });
    await eventually(async () => (await whoAmI()).kind, 'refused');
    expect((await whoAmI()).text).toBe(
      "Agent 'reloaded-copilot' is disabled (mcpGateway.agents[reloaded-copilot].enabled: false).",
    );

    writeGatewayConfig({
      agents: [agent({ tools: { allow: ['who_am_i'] } })],
    });
    await eventually(async () => (await whoAmI()).kind, 'ok');
    expect((await whoAmI()).structured).toMatchObject({
      agent: { id: 'reloaded-copilot' },
    });
  });
});
