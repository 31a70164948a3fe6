import { AgentDetail } from '@mcp-gateway/plugin-mcp-gateway-common';
import {
  ADMINS_AND_AGENTS,
  AdminApp,
  AdminTestOptions,
  asService,
  asUser,
  copilotActivity,
  startAdminApp,
} from './__testUtils__/adminDoubles';

const ALICE = 'user:default/alice';
/** Not on a slice boundary of any window. */
const NOW = Date.parse('2026-11-21T10:07:30Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

let app: AdminApp;
async function start(options: AdminTestOptions = {}) {
  app = await startAdminApp({ now: NOW, ...options });
  return app;
}
afterEach(() => app?.close());

async function detailOf(path: string): Promise<AgentDetail> {
  const response = await app.fetch(path, { headers: asUser(ALICE) });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return response.json();
}

const zeros = (at: string) => ({ start: at, calls: 0, refusals: 0, errors: 0 });

describe('admin API: GET agents/:id', () => {
  it('answers a running agent as GET agents lists it, with the kill switch, its activity slice by slice and its refusals', async () => {
    await start();
    const detail = await detailOf('agents/copilot?window=hour');

    const listed = await (
      await app.fetch('agents', { headers: asUser(ALICE) })
    ).json();
    expect(detail.agent).toEqual(listed.agents[0]);
    expect(detail.agent).toMatchObject({
      id: 'copilot',
      state: { state: 'running' },
      lastCallAt: '2026-11-21T09:59:00.000Z',
      lastHour: { calls: 5, refusals: 1 },
    });
    expect(detail.killSwitch).toEqual({ engaged: false });

    // Twelve five-minute slices, the last holding 10:07:30.
    const from = Date.parse('2026-11-21T09:10:00Z');
    expect(app.audit.agentActivity).toHaveBeenCalledWith('copilot', {
      from,
      to: NOW,
      bucketMs: 5 * MINUTE,
    });
    const store = copilotActivity({ from, to: NOW, bucketMs: 5 * MINUTE });
    expect(detail.activity).toEqual({
      window: 'hour',
      from: '2026-11-21T09:10:00.000Z',
      to: '2026-11-21T10:07:30.000Z',
      bucketSeconds: 300,
      buckets: [
        {
          start: '2026-11-21T09:10:00.000Z',
          calls: 3,
          refusals: 1,
          errors: 1,
        },
        ...[15, 20, 25, 30, 35, 40, 45, 50, 55].map(minute =>
          zeros(`2026-11-21T09:${minute}:00.000Z`),
        ),
        zeros('2026-11-21T10:00:00.000Z'),
        {
          start: '2026-11-21T10:05:00.000Z',
          calls: 7,
          refusals: 4,
          errors: 0,
        },
      ],
    });
    expect(detail.refusals).toEqual(store.refusals);
    expect(detail.refusals.map(r => r.reason)).toEqual([
      'rate-limited',
      'tool-not-allowed',
    ]);

    expect(app.sink.records[0].start).toMatchObject({
      method: 'admin: GET agent',
      principal: ALICE,
      arguments: { window: 'hour', agent: 'copilot' },
    });
    expect(app.sink.records[0].end).toMatchObject({ outcome: 'succeeded' });
  });

  it.each([
    ['day', 24, 3600, '2026-11-20T11:00:00.000Z', '2026-11-21T10:00:00.000Z'],
    ['hour', 12, 300, '2026-11-21T09:10:00.000Z', '2026-11-21T10:05:00.000Z'],
    ['week', 28, 21600, '2026-11-14T12:00:00.000Z', '2026-11-21T06:00:00.000Z'],
  ])(
    'cuts a %s into %i slices of %i s, aligned to the epoch, oldest first',
    async (window, count, seconds, first, last) => {
      await start();
      const detail = await detailOf(`agents/copilot?window=${window}`);
      const { activity } = detail;
      expect(activity).toMatchObject({
        window,
        from: first,
        to: '2026-11-21T10:07:30.000Z',
        bucketSeconds: seconds,
      });
      const starts = activity.buckets.map(b => Date.parse(b.start));
      expect(starts).toHaveLength(count);
      expect(activity.buckets[0].start).toBe(first);
      expect(activity.buckets[count - 1].start).toBe(last);
      expect(starts.slice(1).map((s, i) => s - starts[i])).toEqual(
        Array(count - 1).fill(seconds * 1000),
      );
      // The store's counts land in the first and the last slice.
      expect(activity.buckets[0].calls).toBe(3);
      expect(activity.buckets[count - 1].calls).toBe(7);
      expect(activity.buckets.slice(1, -1).every(b => b.calls === 0)).toBe(
        true,
      );
    },
  );

  it('shows a day unless the window is given', async () => {
    await start();
    const detail = await detailOf('agents/copilot');
    expect(detail.activity).toMatchObject({
      window: 'day',
      bucketSeconds: 3600,
    });
    expect(detail.activity.buckets).toHaveLength(24);
    expect(app.audit.agentActivity).toHaveBeenCalledWith('copilot', {
      from: Date.parse('2026-11-20T11:00:00Z'),
      to: NOW,
      bucketMs: HOUR,
    });
    expect(app.sink.only().arguments).toEqual({ agent: 'copilot' });
  });

  it('answers an agent app-config disables, with no activity, all slices present', async () => {
    await start();
    const detail = await detailOf('agents/retired?window=hour');
    expect(detail.agent).toMatchObject({
      id: 'retired',
      state: {
        state: 'disabled',
        by: 'config',
        reason: 'mcpGateway.agents[retired].enabled is false in app-config',
      },
      policy: { enabled: false, resources: { allow: [] } },
      lastCallAt: null,
      lastDay: { calls: 0, refusals: 0 },
    });
    expect(detail.activity.buckets).toHaveLength(12);
    expect(detail.activity.buckets.every(b => b.calls === 0)).toBe(true);
    expect(detail.refusals).toEqual([]);
  });

  it('shows the kill switch engaged in app-config, and the agent stopped by it', async () => {
    await start({ gateway: { ...ADMINS_AND_AGENTS, killSwitch: true } });
    const detail = await detailOf('agents/default');
    expect(detail.killSwitch).toMatchObject({
      engaged: true,
      source: 'config',
    });
    expect(detail.agent).toMatchObject({
      id: 'default',
      state: { state: 'stopped', by: 'config' },
    });
  });

  it.each([
    ['window=month', 'window: must be hour, day or week'],
    ['window=HOUR', 'window: must be hour, day or week'],
    ['window=', 'window: must be hour, day or week'],
    [
      'window=hour&window=day',
      'window: must be a single value: hour, day or week',
    ],
    ['window[from]=1', 'window: must be a single value: hour, day or week'],
    [
      'windw=hour',
      "unknown parameter 'windw': the only one is window (hour, day or week)",
    ],
  ])('answers ?%s 400 without reading anything', async (query, message) => {
    await start();
    const response = await app.fetch(`agents/copilot?${query}`, {
      headers: asUser(ALICE),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      name: 'InputError',
      message: `Invalid request query: ${message}`,
      code: 'invalid-input',
    });
    expect(app.audit.agentActivity).not.toHaveBeenCalled();
    expect(app.audit.activity).not.toHaveBeenCalled();
    expect(app.switches.readAll).not.toHaveBeenCalled();
    expect(app.sink.only()).toMatchObject({
      method: 'admin: GET agent',
      arguments: { agent: 'copilot' },
      end: { outcome: 'invalid', stage: 'input', code: 'invalid-input' },
    });
  });

  it.each([
    '__proto__',
    'constructor',
    'COPILOT',
    'copilot%20',
    'copilot%2Fdisable',
  ])('names no agent but a configured id exactly: %s is 404', async id => {
    await start();
    const response = await app.fetch(`agents/${id}`, {
      headers: asUser(ALICE),
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('unknown-agent');
    expect(app.audit.agentActivity).not.toHaveBeenCalled();
  });

  it('answers an unknown agent 404 without reading the audit', async () => {
    await start();
    const response = await app.fetch('agents/nobody?window=week', {
      headers: asUser(ALICE),
    });
    expect(response.status).toBe(404);
    expect((await response.json()).error).toEqual({
      name: 'NotFoundError',
      message: expect.stringContaining("No agent 'nobody' is configured"),
      code: 'unknown-agent',
    });
    expect(app.audit.agentActivity).not.toHaveBeenCalled();
    expect(app.sink.only()).toMatchObject({
      method: 'admin: GET agent',
      arguments: { agent: 'nobody', window: 'week' },
      end: { outcome: 'invalid', code: 'unknown-agent' },
    });
  });

  it.each([
    ['a valid window', 'window=hour'],
    ['an invalid window', 'window=month'],
  ])(
    'answers a non-admin 403 with %s, before reading anything, and records it',
    async (_, query) => {
      await start();
      const response = await app.fetch(`agents/copilot?${query}`, {
        headers: asService('copilot-svc'),
      });
      expect(response.status).toBe(403);
      expect((await response.json()).error).toMatchObject({
        name: 'NotAllowedError',
        code: 'not-admin',
      });
      expect(app.audit.agentActivity).not.toHaveBeenCalled();
      expect(app.audit.activity).not.toHaveBeenCalled();
      expect(app.switches.readAll).not.toHaveBeenCalled();
      expect(app.control.verdict).not.toHaveBeenCalled();
      expect(app.sink.only()).toMatchObject({
        method: 'admin: GET agent',
        principal: 'copilot-svc',
        arguments: { agent: 'copilot' },
        end: { outcome: 'refused', stage: 'permission', code: 'not-admin' },
      });
    },
  );

  it('answers an anonymous caller 401', async () => {
    await start();
    const response = await app.fetch('agents/copilot');
    expect(response.status).toBe(401);
    expect(app.audit.agentActivity).not.toHaveBeenCalled();
    expect(app.sink.only()).toMatchObject({
      method: 'admin: GET agent',
      end: { outcome: 'unauthenticated' },
    });
  });
});
