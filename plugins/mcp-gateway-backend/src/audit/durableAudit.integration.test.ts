import {
  messagesOf,
  startTestGateway,
  TestGateway,
  tokenFor,
} from '../__testUtils__/testGateway';

/**
 * The durable audit trail as an administrator reads it through the admin
 * API: one record per MCP request, whatever its method, committed before
 * the caller got the answer.
 */
describe('the durable audit trail', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: ['recorder', 'narrow', 'stranger', 'watched'],
      agents: [
        {
          id: 'recorder',
          principals: [{ service: 'recorder' }],
          tools: { allow: ['who_am_i', 'get_entity'] },
          redact: ['spec.profile.email'],
        },
        {
          id: 'narrow',
          principals: [{ service: 'narrow' }],
          tools: { allow: ['who_am_i'] },
        },
        {
          id: 'watched',
          principals: [{ service: 'watched' }],
          tools: { allow: ['who_am_i'] },
        },
      ],
    });
  }, 90_000);

  afterAll(() => gateway.stop());

  const post = (subject: string, body: unknown, headers = {}) =>
    gateway.post(body, {
      authorization: `Bearer ${tokenFor(subject)}`,
      ...headers,
    });

  it('records every request of a session, each committed before its answer', async () => {
    const client = await gateway.connect('recorder');
    // Each read of the trail follows its request at once: no polling.
    const initialize = await gateway.auditRecords({ agent: 'recorder' });
    expect(initialize.map(r => r.method)).toContain('initialize');
    expect(initialize.find(r => r.method === 'initialize')).toMatchObject({
      agent: 'recorder',
      principal: 'recorder',
      client: { name: 'gateway-test', version: '1.0.0' },
      protocolVersion: '2025-11-25',
      decision: 'allowed',
      outcome: 'ok',
      replica: expect.stringMatching(/:\d+$/),
    });

    await client.listTools();
    const [listing] = await gateway.auditRecords({ agent: 'recorder' });
    expect(listing).toMatchObject({
      method: 'tools/list',
      decision: 'allowed',
      outcome: 'ok',
      resultBytes: expect.any(Number),
      protocolVersion: '2025-11-25',
    });
    expect(listing.resultBytes).toBeGreaterThan(100);

    await client.callTool({ name: 'who_am_i', arguments: {} });
    const [call] = await gateway.auditRecords({ agent: 'recorder' });
    expect(call).toMatchObject({
      method: 'tools/call',
      operation: { kind: 'tool', name: 'who_am_i', access: 'read' },
      arguments: {},
      decision: 'allowed',
      outcome: 'ok',
      durationMs: expect.any(Number),
    });

    await client.ping();
    const [ping] = await gateway.auditRecords({ agent: 'recorder' });
    expect(ping).toMatchObject({ method: 'ping', outcome: 'ok' });
    await client.close();
  });

  it('records a method the gateway does not serve as refused, with the reason code', async () => {
    const response = await post('recorder', {
      jsonrpc: '2.0',
      id: 1,
      method: 'completion/complete',
      params: {},
    });
    const [message] = await messagesOf(response);
    expect(message.error.code).toBe(-32601);
    const [record] = await gateway.auditRecords({ agent: 'recorder' });
    expect(record).toMatchObject({
      method: 'completion/complete',
      decision: 'refused',
      reason: 'unknown-method',
      outcome: 'error',
      message: expect.stringContaining('completion/complete'),
    });
  });

  it('records a tools/call the SDK refuses, or that names no tool, exactly once', async () => {
    const countOf = async () =>
      (await gateway.auditRecords({ agent: 'recorder' })).length;
    const before = await countOf();
    const malformed = await post('recorder', {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { arguments: {} },
    });
    expect((await messagesOf(malformed))[0].error.code).toBe(-32602);
    const [refused] = await gateway.auditRecords({ agent: 'recorder' });
    expect(refused).toMatchObject({
      method: 'tools/call',
      decision: 'refused',
      reason: 'invalid-params',
    });

    const unknown = await post('recorder', {
      jsonrpc: '2.0',
      id: 2,
      method: 'tools/call',
      params: { name: 'no_such_tool', arguments: {} },
    });
    expect((await messagesOf(unknown))[0].error.code).toBe(-32602);
    const [unknownRecord] = await gateway.auditRecords({ agent: 'recorder' });
    expect(unknownRecord).toMatchObject({
      reason: 'unknown-operation',
      operation: { name: 'no_such_tool' },
    });
    expect(await countOf()).toBe(before + 2);
  });

  it('records refusals at every stage with their reason codes', async () => {
    await gateway.call('narrow', 'get_entity', {
      entityRef: 'component:default/payments-api',
    });
    const [policy] = await gateway.auditRecords({ agent: 'narrow' });
    expect(policy).toMatchObject({
      decision: 'refused',
      stage: 'policy',
      reason: 'tool-not-allowed',
      outcome: 'error',
      operation: { name: 'get_entity' },
    });

    await post('stranger', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const [identity] = await gateway.auditRecords({ reason: 'unknown-caller' });
    expect(identity).toMatchObject({
      decision: 'refused',
      stage: 'identity',
      message: expect.stringContaining("'stranger'"),
    });
    expect(identity.agent).toBeUndefined();

    await gateway.call('recorder', 'get_entity', { entityRef: 42 });
    const [invalid] = await gateway.auditRecords({ reason: 'invalid-input' });
    expect(invalid).toMatchObject({ agent: 'recorder', decision: 'refused' });

    await post(
      'recorder',
      { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      { origin: 'https://evil.example' },
    );
    const [origin] = await gateway.auditRecords({
      reason: 'origin-not-allowed',
    });
    expect(origin).toMatchObject({ stage: 'origin', decision: 'refused' });
  });

  it('masks secrets in the recorded arguments and caps their size with a marker', async () => {
    await gateway.call('recorder', 'get_entity', {
      entityRef: 'component:default/payments-api',
      apiToken: 'sk-live-123456',
      note: 'x'.repeat(10_000),
    });
    const [record] = await gateway.auditRecords({
      agent: 'recorder',
      tool: 'get_entity',
    });
    const stored = JSON.stringify(record.arguments);
    expect(stored).not.toContain('sk-live-123456');
    expect(stored.length).toBeLessThan(5000);
    expect(record.arguments).toMatchObject({ truncated: true });
  });

  it('filters by decision and reason, and pages with a cursor', async () => {
    const first = await gateway.admin('audit?agent=recorder&limit=2');
    const page1 = await first.json();
    expect(page1.records).toHaveLength(2);
    expect(page1.nextCursor).toEqual(expect.any(String));
    const page2 = await (
      await gateway.admin(
        `audit?agent=recorder&limit=2&cursor=${encodeURIComponent(page1.nextCursor)}`,
      )
    ).json();
    expect(page2.records.map((r: any) => r.id)).not.toContain(
      page1.records[0].id,
    );
    const refused = await gateway.auditRecords({ decision: 'refused' });
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every(r => r.decision === 'refused')).toBe(true);
  });

  it('exports every matching record as NDJSON', async () => {
    const response = await gateway.admin('audit?agent=recorder', {
      headers: { accept: 'application/x-ndjson' },
    });
    expect(response.headers.get('content-type')).toMatch(
      /^application\/x-ndjson/,
    );
    const lines = (await response.text()).trim().split('\n');
    const records = lines.map(line => JSON.parse(line));
    expect(records.length).toBe(
      (await gateway.auditRecords({ agent: 'recorder' })).length,
    );
    expect(records.every(r => r.agent === 'recorder')).toBe(true);
  });

  it('audits the admin API itself, naming who acted', async () => {
    await gateway.admin('agents');
    const records = await gateway.auditRecords();
    const read = records.find(r => r.method === 'admin: GET agents');
    expect(read).toMatchObject({ principal: 'gateway-admin', outcome: 'ok' });
  });

  it("shows an agent's activity and its refusals by reason through GET agents/:id", async () => {
    await gateway.call('watched', 'who_am_i');
    const refused = await gateway.call('watched', 'get_entity', {
      entityRef: 'component:default/payments-api',
    });
    expect(refused.isError).toBe(true);
    await gateway.call('watched', 'get_entity', {
      entityRef: 'component:default/payments-api',
    });

    const response = await gateway.admin('agents/watched?window=hour');
    expect(response.status).toBe(200);
    const detail = await response.json();
    // Every record of the agent (initialize and the rest) is in the slices.
    const records = await gateway.auditRecords({ agent: 'watched' });
    const sum = (key: 'calls' | 'refusals' | 'errors') =>
      detail.activity.buckets.reduce((n: number, b: any) => n + b[key], 0);
    expect(detail.activity).toMatchObject({
      window: 'hour',
      bucketSeconds: 300,
    });
    expect(detail.activity.buckets).toHaveLength(12);
    expect(sum('calls')).toBe(records.length);
    expect(sum('refusals')).toBe(2);
    expect(sum('errors')).toBe(0);
    expect(detail.agent).toMatchObject({
      id: 'watched',
      state: { state: 'running' },
      lastHour: { calls: records.length, refusals: 2 },
    });
    expect(detail.refusals).toEqual([
      {
        reason: 'tool-not-allowed',
        stage: 'policy',
        count: 2,
        lastAt: records.find(r => r.decision === 'refused').time,
        example: refused.text,
      },
    ]);
    const read = (await gateway.auditRecords()).find(
      r => r.method === 'admin: GET agent',
    );
    expect(read).toMatchObject({
      method: 'admin: GET agent',
      arguments: { agent: 'watched', window: 'hour' },
      outcome: 'ok',
    });
  });
});
