import { AdminApiError, isNotAdminError } from './AdminApiError';
import { McpGatewayAdminClient } from './McpGatewayAdminClient';

const BASE = 'http://backstage.test/api/mcp-gateway';

function jsonResponse(body: unknown, status = 200) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function setup(response: () => Response = () => jsonResponse({})) {
  const fetch = jest.fn(async (_url: string, _init?: RequestInit) =>
    response(),
  );
  const discoveryApi = { getBaseUrl: jest.fn(async () => BASE) };
  const client = new McpGatewayAdminClient({
    discoveryApi,
    fetchApi: { fetch: fetch as typeof globalThis.fetch },
  });
  const call = (index = 0) => {
    const [url, init] = fetch.mock.calls[index];
    const headers = new Headers(init?.headers);
    return {
      url,
      method: init?.method,
      accept: headers.get('Accept'),
      contentType: headers.get('Content-Type'),
      body: init?.body ? JSON.parse(String(init.body)) : undefined,
    };
  };
  return { client, fetch, discoveryApi, call };
}

describe('McpGatewayAdminClient', () => {
  it('finds the admin API through discovery and lists the agents', async () => {
    const overview = { agents: [], killSwitch: { engaged: false } };
    const { client, discoveryApi, call } = setup(() => jsonResponse(overview));

    await expect(client.listAgents()).resolves.toEqual(overview);

    expect(discoveryApi.getBaseUrl).toHaveBeenCalledWith('mcp-gateway');
    expect(call()).toEqual({
      url: `${BASE}/admin/agents`,
      method: 'GET',
      accept: 'application/json',
      contentType: null,
      body: undefined,
    });
  });

  it('encodes agent ids in paths and passes the activity window', async () => {
    const { client, call } = setup();

    await client.getAgent('team a/bot?x', { window: 'week' });
    await client.getAgent('incident-copilot');

    expect(call(0).url).toBe(
      `${BASE}/admin/agents/team%20a%2Fbot%3Fx?window=week`,
    );
    expect(call(1).url).toBe(`${BASE}/admin/agents/incident-copilot`);
  });

  it('disables with the reason and enables with or without one', async () => {
    const { client, call } = setup(() =>
      jsonResponse({ id: 'a/b', state: { state: 'disabled' } }),
    );

    await client.disableAgent('a/b', 'Leaking data');
    await client.enableAgent('a/b', 'Fixed');
    await client.enableAgent('a/b');

    expect(call(0)).toMatchObject({
      url: `${BASE}/admin/agents/a%2Fb/disable`,
      method: 'POST',
      contentType: 'application/json',
      body: { reason: 'Leaking data' },
    });
    expect(call(1)).toMatchObject({
      url: `${BASE}/admin/agents/a%2Fb/enable`,
      method: 'POST',
      body: { reason: 'Fixed' },
    });
    expect(call(2).body).toEqual({});
  });

  it('reads and sets the kill switch', async () => {
    const { client, call } = setup(() => jsonResponse({ engaged: true }));

    await client.getKillSwitch();
    await client.setKillSwitch({ engaged: true, reason: 'Incident 42' });
    await client.setKillSwitch({ engaged: false });

    expect(call(0)).toMatchObject({
      url: `${BASE}/admin/kill-switch`,
      method: 'GET',
    });
    expect(call(1)).toMatchObject({
      url: `${BASE}/admin/kill-switch`,
      method: 'POST',
      body: { engaged: true, reason: 'Incident 42' },
    });
    expect(call(2).body).toEqual({ engaged: false });
  });

  it('puts only the set audit filters in the query string, encoded', async () => {
    const { client, call } = setup(() => jsonResponse({ records: [] }));

    await client.queryAudit({
      agent: 'incident-copilot',
      user: 'user:default/jane doe',
      tool: '',
      decision: 'refused',
      reason: ' tool-not-allowed ',
      kind: 'mcp,admin-change',
      since: '2025-01-01T00:00:00+01:00',
      limit: 20,
      cursor: 'abc&def=',
    });

    const url = new URL(call().url);
    expect(url.origin + url.pathname).toBe(`${BASE}/admin/audit`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      agent: 'incident-copilot',
      user: 'user:default/jane doe',
      decision: 'refused',
      reason: 'tool-not-allowed',
      kind: 'mcp,admin-change',
      since: '2025-01-01T00:00:00+01:00',
      limit: '20',
      cursor: 'abc&def=',
    });
    expect(call().url).toContain('since=2025-01-01T00%3A00%3A00%2B01%3A00');
  });

  it('sends no query string when nothing filters', async () => {
    const { client, call } = setup(() => jsonResponse({ records: [] }));

    await client.queryAudit({});

    expect(call().url).toBe(`${BASE}/admin/audit`);
  });

  it('exports the audit as NDJSON with the filters and no paging', async () => {
    const lines = '{"id":"1"}\n{"id":"2"}\n';
    const { client, call } = setup(
      () =>
        new Response(lines, {
          status: 200,
          headers: { 'Content-Type': 'application/x-ndjson' },
        }),
    );

    const blob = await client.exportAudit({
      agent: 'bot',
      outcome: 'error',
      kind: 'mcp',
    });

    expect(call()).toMatchObject({
      url: `${BASE}/admin/audit?agent=bot&outcome=error&kind=mcp`,
      method: 'GET',
      accept: 'application/x-ndjson',
    });
    await expect(blob.text()).resolves.toBe(lines);
  });

  it("rejects with the server's message, status, name and code", async () => {
    const { client } = setup(() =>
      jsonResponse(
        {
          error: {
            name: 'ConflictError',
            message: 'app-config disables incident-copilot; change it there.',
            code: 'disabled-in-config',
          },
        },
        409,
      ),
    );

    const error = await client.enableAgent('incident-copilot').catch(e => e);

    expect(error).toBeInstanceOf(AdminApiError);
    expect(error).toMatchObject({
      name: 'ConflictError',
      message: 'app-config disables incident-copilot; change it there.',
      status: 409,
      code: 'disabled-in-config',
    });
    expect(isNotAdminError(error)).toBe(false);
  });

  it('recognises a 403 as "not an admin"', async () => {
    const { client } = setup(() =>
      jsonResponse(
        {
          error: {
            name: 'NotAllowedError',
            message: 'user:default/bob is not an admin.',
          },
        },
        403,
      ),
    );

    const error = await client.listAgents().catch(e => e);

    expect(error.message).toBe('user:default/bob is not an admin.');
    expect(isNotAdminError(error)).toBe(true);
  });

  it('describes an error without a JSON body by its status', async () => {
    const { client } = setup(
      () =>
        new Response('<html>Bad gateway</html>', {
          status: 502,
          statusText: 'Bad Gateway',
        }),
    );

    await expect(client.queryAudit({})).rejects.toMatchObject({
      status: 502,
      message: "The MCP gateway's admin API answered 502 Bad Gateway.",
    });
  });

  it('rejects an export the server refuses with its message', async () => {
    const { client } = setup(() =>
      jsonResponse(
        { error: { name: 'InputError', message: 'since is not a date' } },
        400,
      ),
    );

    await expect(client.exportAudit({ since: 'yesterday' })).rejects.toThrow(
      'since is not a date',
    );
  });
});
