import {
  startTestGateway,
  TestGateway,
  tokenFor,
} from '../__testUtils__/testGateway';

/** The kill switch through the admin API, as the agents see it. */
describe('the kill switch', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: ['copilot', 'helper', 'off-in-config'],
      agents: [
        {
          id: 'copilot',
          principals: [{ service: 'copilot' }],
          tools: { allow: ['who_am_i', 'get_entity'] },
        },
        {
          id: 'helper',
          principals: [{ service: 'helper' }],
          tools: { allow: ['who_am_i'] },
        },
        {
          id: 'off-in-config',
          principals: [{ service: 'off-in-config' }],
          enabled: false,
          tools: { allow: ['who_am_i'] },
        },
      ],
    });
  }, 90_000);

  afterAll(() => gateway.stop());

  const toolsOf = async (subject: string) => {
    const client = await gateway.connect(subject);
    const { tools } = await client.listTools();
    await client.close();
    return tools.map(tool => tool.name);
  };
  const post = (path: string, body?: unknown) =>
    gateway.admin(path, { method: 'POST', body });

  it('disables one agent at once: its tools vanish and its calls are refused, naming who and why; enabling brings it back', async () => {
    expect(await toolsOf('copilot')).toEqual(['get_entity', 'who_am_i']);
    const disabled = await post('agents/copilot/disable', {
      reason: 'Leaked token, rotating',
    });
    expect(disabled.status).toBe(200);

    expect(await toolsOf('copilot')).toEqual([]);
    const refused = await gateway.call('copilot', 'who_am_i');
    expect(refused.isError).toBe(true);
    expect(refused.text).toBe(
      "Agent 'copilot' was disabled by gateway-admin: Leaked token, rotating.",
    );
    // Other agents go on.
    expect((await gateway.call('helper', 'who_am_i')).isError).toBeFalsy();

    const [record] = await gateway.auditRecords({ agent: 'copilot' });
    expect(record).toMatchObject({
      decision: 'refused',
      stage: 'control',
      reason: 'agent-disabled',
    });

    const agents = await (await gateway.admin('agents')).json();
    expect(
      agents.agents.find((a: any) => a.id === 'copilot').state,
    ).toMatchObject({ reason: 'Leaked token, rotating', by: 'gateway-admin' });

    expect((await post('agents/copilot/enable')).status).toBe(200);
    expect(await toolsOf('copilot')).toEqual(['get_entity', 'who_am_i']);
    expect((await gateway.call('copilot', 'who_am_i')).isError).toBeFalsy();
  });

  it('stops the whole gateway with the global switch, and releases it', async () => {
    const engaged = await post('kill-switch', {
      engaged: true,
      reason: 'Incident 4711',
    });
    expect(engaged.status).toBe(200);
    const state = await (await gateway.admin('kill-switch')).json();
    expect(state).toMatchObject({ engaged: true, reason: 'Incident 4711' });

    for (const subject of ['copilot', 'helper']) {
      expect(await toolsOf(subject)).toEqual([]);
      const refused = await gateway.call(subject, 'who_am_i');
      expect(refused.text).toMatch(
        /^The MCP gateway is stopped by its kill switch: Incident 4711/,
      );
    }
    const [record] = await gateway.auditRecords({ reason: 'gateway-stopped' });
    expect(record).toMatchObject({ decision: 'refused', stage: 'control' });

    expect((await post('kill-switch', { engaged: false })).status).toBe(200);
    expect((await gateway.call('helper', 'who_am_i')).isError).toBeFalsy();
  });

  it('cannot enable an agent that app-config disables', async () => {
    const response = await post('agents/off-in-config/enable');
    expect(response.status).toBe(409);
    expect((await response.json()).error.message).toContain('enabled: false');
    const refused = await gateway.call('off-in-config', 'who_am_i');
    expect(refused.text).toContain('enabled: false');
  });

  it('keeps the admin API to admins: 401 anonymous, 403 for agents, 404 for unknown agents, 400 for bad input', async () => {
    expect((await gateway.admin('agents', { as: null })).status).toBe(401);
    const agent = await gateway.admin('agents/helper/disable', {
      method: 'POST',
      body: { reason: 'mine now' },
      as: 'copilot',
    });
    expect(agent.status).toBe(403);
    expect((await gateway.call('helper', 'who_am_i')).isError).toBeFalsy();

    expect((await post('agents/nobody/disable', { reason: 'x' })).status).toBe(
      404,
    );
    const missingReason = await post('agents/helper/disable', {});
    expect(missingReason.status).toBe(400);
    expect((await missingReason.json()).error.message).toMatch(/reason/);
    expect(
      (await post('kill-switch', { engaged: 'yes', reason: 'x' })).status,
    ).toBe(400);
  });

  it('uses the token of no agent for admin rights: a listed agent subject is refused unless listed as admin', async () => {
    const response = await fetch(
      `${gateway.baseUrl}/api/mcp-gateway/admin/agents`,
      {
        headers: { authorization: `Bearer ${tokenFor('helper')}` },
      },
    );
    expect(response.status).toBe(403);
  });
});
