import {
  GatewayPolicyOptions,
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../__testUtils__/testGateway';

const copilot = {
  id: 'copilot',
  principals: [{ service: 'copilot' }],
  tools: { allow: ['who_am_i', 'get_entity', 'list_owners'] },
};
const startingConfig: GatewayPolicyOptions = { agents: [copilot] };

/**
 * Agent policies follow a reloaded config source without a restart: the
 * next request sees them, on a client connected before the reload.
 */
describe('config reload', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      ...startingConfig,
      subjects: ['copilot', 'newcomer', 'ops-admin'],
    });
    await waitForCatalog(gateway, tokenFor('copilot'), 70);
  }, 90_000);

  afterAll(() => gateway.stop());
  afterEach(() => gateway.reloadConfig(startingConfig));

  const toolsOf = async (subject: string) => {
    const client = await gateway.connect(subject);
    const { tools } = await client.listTools();
    await client.close();
    return tools.map(tool => tool.name);
  };
  const errorsLogged = () =>
    gateway.logs.filter(log => log.level === 'error').map(log => log.message);

  it("narrows an agent's tools: its listing and calls follow at once, on a client connected before", async () => {
    const client = await gateway.connect('copilot');
    expect((await client.listTools()).tools.map(t => t.name)).toContain(
      'get_entity',
    );

    gateway.reloadConfig({
      agents: [{ ...copilot, tools: { ...copilot.tools, deny: ['get_*'] } }],
    });

    expect((await client.listTools()).tools.map(t => t.name)).toEqual([
      'list_owners',
      'who_am_i',
    ]);
    const refused = await gateway.call('copilot', 'get_entity', {
      entityRef: 'component:default/payments-api',
    });
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/get_entity.*mcpGateway\.agents\[copilot\]/);
    const [record] = await gateway.auditRecords({ agent: 'copilot' });
    expect(record).toMatchObject({
      decision: 'refused',
      reason: 'tool-not-allowed',
    });
    await client.close();
  });

  it('admits an agent added to the config, and refuses it once removed', async () => {
    await expect(toolsOf('newcomer')).rejects.toThrow(/403|No MCP gateway/);

    gateway.reloadConfig({
      agents: [
        copilot,
        {
          id: 'newcomer',
          principals: [{ service: 'newcomer' }],
          tools: { allow: ['who_am_i'] },
        },
      ],
    });
    expect(await toolsOf('newcomer')).toEqual(['who_am_i']);
    const me = await gateway.call('newcomer', 'who_am_i');
    expect(me.data.agent).toMatchObject({ id: 'newcomer' });

    gateway.reloadConfig(startingConfig);
    const response = await gateway.post(
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { authorization: `Bearer ${tokenFor('newcomer')}` },
    );
    expect(response.status).toBe(403);
  });

  it('refuses an invalid reload, logs which key is wrong, and keeps the last valid policy', async () => {
    const before = await toolsOf('copilot');

    gateway.reloadConfig({
      agents: [{ ...copilot, tools: { allow: 'everything' } }],
    });

    expect(errorsLogged()).toContainEqual(
      expect.stringMatching(
        /^Refused the reloaded MCP gateway configuration; the last valid one stays in force\. Invalid MCP gateway configuration\. mcpGateway\.agents\[0\]\.tools\.allow: /,
      ),
    );
    expect(await toolsOf('copilot')).toEqual(before);
    expect((await gateway.call('copilot', 'who_am_i')).isError).toBe(false);

    // A widening that a typo would hide is refused too: no unknown keys.
    gateway.reloadConfig({
      agents: [{ ...copilot, tool: { allow: ['*'] } }],
    });
    expect(errorsLogged()).toContainEqual(
      expect.stringContaining('Unrecognized key: "tool"'),
    );
    expect(await toolsOf('copilot')).toEqual(before);
  });

  it('switches an agent off, or the whole gateway, from config, and the admin API says so', async () => {
    gateway.reloadConfig({ agents: [{ ...copilot, enabled: false }] });
    const off = await gateway.call('copilot', 'who_am_i');
    expect(off.text).toBe(
      "Agent 'copilot' is disabled (mcpGateway.agents[copilot].enabled: false).",
    );
    const agents = await (await gateway.admin('agents')).json();
    expect(agents.agents[0]).toMatchObject({
      id: 'copilot',
      policy: { enabled: false },
      state: { state: 'disabled', by: 'config' },
    });

    gateway.reloadConfig({
      ...startingConfig,
      mcpGateway: { killSwitch: true },
    });
    expect((await gateway.call('copilot', 'who_am_i')).text).toBe(
      'The MCP gateway is stopped by its kill switch (mcpGateway.killSwitch: true).',
    );
    expect(await (await gateway.admin('kill-switch')).json()).toMatchObject({
      engaged: true,
      source: 'config',
    });

    gateway.reloadConfig(startingConfig);
    expect((await gateway.call('copilot', 'who_am_i')).isError).toBe(false);
  });

  it('applies a new redaction rule to the next call', async () => {
    const path = 'metadata.annotations.github.com/project-slug';
    const read = () =>
      gateway.call('copilot', 'get_entity', {
        ref: 'payments-api',
        fields: [path],
      });
    expect((await read()).data.fields[path]).toBe('acme/payments-api');

    gateway.reloadConfig({
      agents: [{ ...copilot, redact: ['metadata.annotations.github.com/*'] }],
    });

    const redacted = await read();
    expect(redacted.data.fields[path]).toBe('[redacted]');
    expect(JSON.stringify(redacted)).not.toContain('acme/payments-api');
  });

  it('makes a principal an admin, or no longer one', async () => {
    expect((await gateway.admin('agents', { as: 'ops-admin' })).status).toBe(
      403,
    );
    gateway.reloadConfig({
      ...startingConfig,
      mcpGateway: {
        admins: [{ service: 'gateway-admin' }, { service: 'ops-admin' }],
      },
    });
    expect((await gateway.admin('agents', { as: 'ops-admin' })).status).toBe(
      200,
    );
    gateway.reloadConfig(startingConfig);
    expect((await gateway.admin('agents', { as: 'ops-admin' })).status).toBe(
      403,
    );
  });
});
