import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ADMINS_AND_AGENTS,
  AdminApp,
  AdminTestOptions,
  asService,
  asUser,
  CALLER_HEADER,
  startAdminApp,
} from './__testUtils__/adminDoubles';

const ALICE = 'user:default/alice';

let app: AdminApp;
async function start(options: AdminTestOptions = {}) {
  app = await startAdminApp(options);
  return app;
}
afterEach(() => app?.close());

async function errorOf(response: Response) {
  const body = await response.json();
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'name']);
  return body.error as { name: string; message: string; code: string };
}

describe('admin API: who may use it', () => {
  it('answers anonymous callers 401 and records them without a principal', async () => {
    await start();
    const response = await app.fetch('agents');
    expect(response.status).toBe(401);
    expect(await errorOf(response)).toEqual({
      name: 'AuthenticationError',
      message: expect.stringContaining('needs a Backstage token'),
      code: 'unauthenticated',
    });
    expect(app.sink.only()).toMatchObject({
      method: 'admin: GET agents',
      hasRequest: false,
      end: { outcome: 'unauthenticated', code: 'unauthenticated' },
    });
    expect(app.sink.only().principal).toBeUndefined();
  });

  it('answers a rejected token 401 without repeating what Backstage said of it', async () => {
    await start();
    const response = await app.fetch('agents', {
      headers: { [CALLER_HEADER]: 'bad' },
    });
    expect(response.status).toBe(401);
    const { message } = await errorOf(response);
    expect(message).toBe(
      'Invalid or expired credentials: the token was not accepted by Backstage.',
    );
    expect(message).not.toContain('secret-123');
  });

  it("passes on Backstage's 403 for a token that may not reach the plugin", async () => {
    await start();
    const response = await app.fetch('agents', {
      headers: { [CALLER_HEADER]: 'restricted' },
    });
    expect(response.status).toBe(403);
    expect(await errorOf(response)).toEqual({
      name: 'NotAllowedError',
      message: 'This token may not reach plugin mcp-gateway',
      code: 'not-admin',
    });
  });

  it.each([
    [
      'an agent token not listed as an admin',
      asService('copilot-svc'),
      'mcpGateway.admins',
      'not-admin',
    ],
    [
      'a service whose subject differs in case',
      asService('OPS-BOT'),
      'mcpGateway.admins',
      'not-admin',
    ],
    [
      'a user in no listed group',
      asUser('user:default/carol'),
      'mcpGateway.admins',
      'not-admin',
    ],
    [
      "an admin's token carried by a plugin",
      asUser(ALICE, 'plugin:ai-chat'),
      "the user's own credentials",
      'actor-not-admin',
    ],
  ])('answers %s 403, saying why', async (_, headers, why, code) => {
    await start();
    const response = await app.post(
      'agents/copilot/disable',
      { reason: 'x' },
      headers,
    );
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error.name).toBe('NotAllowedError');
    expect(error.message).toContain(why);
    expect(error.code).toBe(code);
    expect(app.switches.set).not.toHaveBeenCalled();
    expect(app.sink.only()).toMatchObject({
      method: 'admin: POST agents/disable',
      arguments: { agent: 'copilot' },
      hasRequest: true,
      end: { outcome: 'refused', stage: 'permission' },
    });
  });

  it('answers a listed user whom the permission policy denies 403, naming the permission', async () => {
    await start({ permissionResult: AuthorizeResult.DENY });
    const response = await app.fetch('agents', { headers: asUser(ALICE) });
    expect(response.status).toBe(403);
    const error = await errorOf(response);
    expect(error.message).toContain('mcp-gateway.admin');
    expect(error.code).toBe('permission-denied');
    expect(app.sink.only()).toMatchObject({
      principal: ALICE,
      user: ALICE,
      end: { outcome: 'refused', code: 'permission-denied' },
    });
  });

  it('records the actor of a refused plugin-carried call', async () => {
    await start();
    await app.fetch('kill-switch', {
      headers: asUser(ALICE, 'plugin:ai-chat'),
    });
    expect(app.sink.only()).toMatchObject({
      principal: ALICE,
      user: ALICE,
      actor: 'plugin:ai-chat',
      end: { code: 'actor-not-admin' },
    });
  });

  it('never reads the body of a caller who is not an admin', async () => {
    await start();
    const response = await app.post(
      'agents/copilot/disable',
      '{"reason": ',
      asService('copilot-svc'),
    );
    expect(response.status).toBe(403);
  });

  it.each([
    ['a listed service', asService('ops-bot'), 'ops-bot'],
    [
      'a listed user (ref in another case)',
      asUser('user:default/ALICE'),
      'user:default/ALICE',
    ],
    [
      'a member of a listed group',
      asUser('user:default/bob'),
      'user:default/bob',
    ],
  ])('lets %s in', async (_, headers, principal) => {
    await start();
    const response = await app.fetch('kill-switch', { headers });
    expect(response.status).toBe(200);
    const record = app.sink.only();
    expect(record).toMatchObject({ principal, end: { outcome: 'succeeded' } });
    expect(record.agentId).toBeUndefined();
  });
});

describe('admin API: agents', () => {
  it('lists every agent with its config, run-time state and recent activity, and the kill switch', async () => {
    await start();
    const response = await app.fetch('agents', { headers: asUser(ALICE) });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.agents.map((a: { id: string }) => a.id)).toEqual([
      'copilot',
      'retired',
      'default',
    ]);
    expect(body.agents[0]).toEqual({
      id: 'copilot',
      description: 'Incident copilot',
      configKey: 'mcpGateway.agents[copilot]',
      principals: [{ service: 'copilot-svc' }],
      policy: {
        enabled: true,
        readOnly: true,
        tools: { allow: ['get_entity'], deny: [] },
        templates: { allow: [], tasks: 'own' },
        locations: { allow: [] },
        resources: { allow: [] },
        prompts: { allow: ['*'] },
        entities: { exclude: { kinds: [], namespaces: [], tags: [] } },
        redact: [],
        rateLimit: { requests: 10, per: 'minute', writes: 2 },
      },
      state: { state: 'running' },
      lastCallAt: '2026-11-21T09:59:00.000Z',
      lastHour: { calls: 5, refusals: 1 },
      lastDay: { calls: 40, refusals: 3 },
    });
    expect(body.agents[1]).toMatchObject({
      id: 'retired',
      state: {
        state: 'disabled',
        by: 'config',
        reason: 'mcpGateway.agents[retired].enabled is false in app-config',
      },
      lastCallAt: null,
      lastHour: { calls: 0, refusals: 0 },
      policy: { rateLimit: null },
    });
    expect(body.agents[2]).toMatchObject({
      id: 'default',
      configKey: 'mcpGateway.defaultAgent',
      principals: [],
    });
    expect(body.killSwitch).toEqual({ engaged: false });
    expect(app.audit.activity).toHaveBeenCalledWith(app.now);
    expect(app.sink.only()).toMatchObject({
      method: 'admin: GET agents',
      end: { outcome: 'succeeded', listed: 3 },
    });
  });

  it('disables an agent at once: stores the switch, applies it here, and says who and why', async () => {
    await start();
    const response = await app.post(
      'agents/copilot/disable',
      { reason: ' leaking data ' },
      asUser(ALICE),
    );
    expect(response.status).toBe(200);
    const change = {
      target: 'copilot',
      off: true,
      reason: 'leaking data',
      changedBy: ALICE,
    };
    expect(app.switches.set).toHaveBeenCalledWith(change);
    const stored = await app.switches.set.mock.results[0].value;
    expect(app.control.apply).toHaveBeenCalledWith(stored);
    expect(await response.json()).toEqual({
      id: 'copilot',
      state: {
        state: 'disabled',
        reason: 'leaking data',
        by: ALICE,
        changedAt: stored.changedAt,
      },
    });
    expect(app.sink.only()).toMatchObject({
      method: 'admin: POST agents/disable',
      principal: ALICE,
      user: ALICE,
      arguments: { agent: 'copilot', reason: ' leaking data ' },
      end: { outcome: 'succeeded' },
    });

    const listed = await (
      await app.fetch('agents', { headers: asUser(ALICE) })
    ).json();
    expect(listed.agents[0].state).toEqual({
      state: 'disabled',
      reason: 'leaking data',
      by: ALICE,
      changedAt: stored.changedAt,
    });
  });

  it('disables the default agent too', async () => {
    await start();
    const response = await app.post(
      'agents/default/disable',
      { reason: 'only named agents today' },
      asService('ops-bot'),
    );
    expect(response.status).toBe(200);
    expect(app.switches.set).toHaveBeenCalledWith(
      expect.objectContaining({ target: 'default', changedBy: 'ops-bot' }),
    );
  });

  it.each([
    ['no reason', {}, 'reason: is required'],
    ['an empty reason', { reason: '  ' }, 'reason: must not be empty'],
    [
      'a reason over 500 characters',
      { reason: 'x'.repeat(501) },
      'reason: must be at most 500 characters',
    ],
    ['an unknown field', { reason: 'r', force: true }, 'force'],
    ['malformed JSON', '{"reason": ', 'not valid JSON'],
    [
      'a body over 16 kB',
      { reason: 'r', pad: 'x'.repeat(17000) },
      'larger than 16kb',
    ],
  ])(
    'answers a disable with %s 400, and sets nothing',
    async (_, body, message) => {
      await start();
      const response = await app.post(
        'agents/copilot/disable',
        body,
        asUser(ALICE),
      );
      expect(response.status).toBe(400);
      const error = await errorOf(response);
      expect(error.name).toBe('InputError');
      expect(error.code).toBe('invalid-input');
      expect(error.message).toContain(message);
      expect(app.switches.set).not.toHaveBeenCalled();
      expect(app.sink.only()).toMatchObject({
        principal: ALICE,
        end: { outcome: 'invalid', stage: 'input', reason: error.message },
      });
    },
  );

  it('answers a body that is not JSON 400', async () => {
    await start();
    const response = await app.fetch('agents/copilot/disable', {
      method: 'POST',
      headers: { ...asUser(ALICE), 'content-type': 'text/plain' },
      body: 'reason=leak',
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain(
      'Content-Type: application/json',
    );
  });

  it('answers an unknown agent 404', async () => {
    await start();
    const response = await app.post(
      'agents/nobody/disable',
      { reason: 'r' },
      asUser(ALICE),
    );
    expect(response.status).toBe(404);
    expect(await errorOf(response)).toEqual({
      name: 'NotFoundError',
      message: expect.stringContaining("No agent 'nobody' is configured"),
      code: 'unknown-agent',
    });
    expect(app.sink.only()).toMatchObject({
      arguments: { agent: 'nobody', reason: 'r' },
      end: { outcome: 'invalid', code: 'unknown-agent' },
    });
  });

  it('enables an agent disabled at run time, with or without a body', async () => {
    await start();
    await app.post('agents/copilot/disable', { reason: 'r' }, asUser(ALICE));
    const response = await app.fetch('agents/copilot/enable', {
      method: 'POST',
      headers: asService('ops-bot'),
    });
    expect(response.status).toBe(200);
    expect(app.switches.set).toHaveBeenLastCalledWith({
      target: 'copilot',
      off: false,
      changedBy: 'ops-bot',
    });
    expect(app.control.apply).toHaveBeenCalledTimes(2);
    expect((await response.json()).state).toMatchObject({
      state: 'running',
      by: 'ops-bot',
    });
  });

  it('refuses with 409 to enable an agent that app-config disables', async () => {
    await start();
    const response = await app.post('agents/retired/enable', {}, asUser(ALICE));
    expect(response.status).toBe(409);
    expect(await errorOf(response)).toEqual({
      name: 'ConflictError',
      message:
        "Agent 'retired' is disabled in app-config (mcpGateway.agents[retired].enabled: false), which the admin API cannot override. Change the config to enable it.",
      code: 'disabled-in-config',
    });
    expect(app.switches.set).not.toHaveBeenCalled();
    expect(app.sink.only()).toMatchObject({
      end: { outcome: 'refused', code: 'disabled-in-config' },
    });
  });

  it('answers enabling an unknown agent 404', async () => {
    await start();
    const response = await app.post('agents/nobody/enable', {}, asUser(ALICE));
    expect(response.status).toBe(404);
  });
});

describe('admin API: kill switch', () => {
  it('engages and releases the kill switch, and reports who, why and when', async () => {
    await start();
    expect(
      await (await app.fetch('kill-switch', { headers: asUser(ALICE) })).json(),
    ).toEqual({ engaged: false });

    const engaged = await app.post(
      'kill-switch',
      { engaged: true, reason: 'incident 42' },
      asUser(ALICE),
    );
    expect(engaged.status).toBe(200);
    expect(app.switches.set).toHaveBeenCalledWith({
      target: '*',
      off: true,
      reason: 'incident 42',
      changedBy: ALICE,
    });
    const stored = await app.switches.set.mock.results[0].value;
    expect(app.control.apply).toHaveBeenCalledWith(stored);
    const view = {
      engaged: true,
      source: 'runtime',
      reason: 'incident 42',
      by: ALICE,
      changedAt: stored.changedAt,
    };
    expect(await engaged.json()).toEqual(view);
    expect(
      await (await app.fetch('kill-switch', { headers: asUser(ALICE) })).json(),
    ).toEqual(view);
    const agents = await (
      await app.fetch('agents', { headers: asUser(ALICE) })
    ).json();
    expect(agents.agents[0].state).toEqual({
      state: 'stopped',
      reason: 'incident 42',
      by: ALICE,
      changedAt: stored.changedAt,
    });

    const released = await app.post(
      'kill-switch',
      { engaged: false },
      asService('ops-bot'),
    );
    expect(released.status).toBe(200);
    expect(await released.json()).toEqual({
      engaged: false,
      by: 'ops-bot',
      changedAt: expect.any(String),
    });
    expect(app.sink.records.map(r => r.start.arguments)).toEqual([
      undefined,
      { engaged: true, reason: 'incident 42' },
      undefined,
      undefined,
      { engaged: false },
    ]);
  });

  it.each([
    [
      'engaged that is not a boolean',
      { engaged: 'yes', reason: 'r' },
      'engaged: must be true or false',
    ],
    ['no engaged', { reason: 'r' }, 'engaged: is required'],
    [
      'engaging without a reason',
      { engaged: true },
      'reason: is required when engaging',
    ],
    [
      'a reason over 500 characters',
      { engaged: true, reason: 'x'.repeat(501) },
      'at most 500',
    ],
  ])('answers %s 400, and sets nothing', async (_, body, message) => {
    await start();
    const response = await app.post('kill-switch', body, asUser(ALICE));
    expect(response.status).toBe(400);
    expect((await errorOf(response)).message).toContain(message);
    expect(app.switches.set).not.toHaveBeenCalled();
  });

  it('shows a kill switch engaged in app-config, and refuses with 409 to release it', async () => {
    await start({ gateway: { ...ADMINS_AND_AGENTS, killSwitch: true } });
    expect(
      await (await app.fetch('kill-switch', { headers: asUser(ALICE) })).json(),
    ).toEqual({
      engaged: true,
      source: 'config',
      reason: 'mcpGateway.killSwitch is true in app-config',
      by: 'config',
    });
    const response = await app.post(
      'kill-switch',
      { engaged: false },
      asUser(ALICE),
    );
    expect(response.status).toBe(409);
    const error = await errorOf(response);
    expect(error.message).toContain('mcpGateway.killSwitch: true');
    expect(error.code).toBe('engaged-in-config');
    expect(app.switches.set).not.toHaveBeenCalled();
  });
});

describe('admin API: unknown routes', () => {
  it.each([
    ['GET', 'nothing-here'],
    ['GET', 'agents/copilot/disable'],
    ['DELETE', 'kill-switch'],
  ])(
    'answers %s %s 404 in JSON, after checking the caller',
    async (method, path) => {
      await start();
      const response = await app.fetch(path, {
        method,
        headers: asUser(ALICE),
      });
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toMatch(
        /^application\/json/,
      );
      expect(await errorOf(response)).toMatchObject({
        name: 'NotFoundError',
        code: 'unknown-route',
      });
      expect(app.sink.only()).toMatchObject({
        method: 'admin: unknown route',
        arguments: { method, path: `/${path}` },
        end: { outcome: 'invalid', code: 'unknown-route' },
      });

      const anonymous = await app.fetch(path, { method });
      expect(anonymous.status).toBe(401);
    },
  );
});
