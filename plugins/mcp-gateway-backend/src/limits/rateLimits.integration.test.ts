import {
  startTestGateway,
  TestGateway,
  textOf,
} from '../__testUtils__/testGateway';

/**
 * Rate limits as agents meet them. Hourly windows, so that a test never
 * straddles a window's end (minute windows would, now and then).
 */
describe('rate limits', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: ['limited', 'writer', 'free'],
      agents: [
        {
          id: 'limited',
          principals: [{ service: 'limited' }],
          tools: { allow: ['who_am_i'] },
          rateLimit: { requests: 3, per: 'hour' },
        },
        {
          id: 'writer',
          principals: [{ service: 'writer' }],
          readOnly: false,
          tools: { allow: ['who_am_i', 'refresh_entity'] },
          rateLimit: { requests: 10, per: 'hour', writes: 1 },
        },
        {
          id: 'free',
          principals: [{ service: 'free' }],
          tools: { allow: ['who_am_i'] },
        },
      ],
    });
  }, 90_000);

  afterAll(() => gateway.stop());

  it('refuses the call over the budget, saying when to retry; listings spend nothing', async () => {
    const client = await gateway.connect('limited');
    for (let i = 0; i < 5; i++) await client.listTools();
    for (let i = 0; i < 3; i++) {
      const result = await client.callTool({ name: 'who_am_i', arguments: {} });
      expect(result.isError).toBeFalsy();
    }
    const refused = await client.callTool({ name: 'who_am_i', arguments: {} });
    expect(refused.isError).toBe(true);
    expect(textOf(refused)).toMatch(
      /^Agent 'limited' has used its rate limit of 3 requests per hour \(mcpGateway\.agents\[limited\]\.rateLimit\)\. Try again in \d+ seconds?\.$/,
    );
    const retryAfter = (refused._meta as any)['mcp-gateway/retryAfter'];
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // The tools stay listed: a limit is not a permission.
    expect((await client.listTools()).tools.map(t => t.name)).toEqual([
      'who_am_i',
    ]);
    await client.close();

    const [record] = await gateway.auditRecords({
      agent: 'limited',
      reason: 'rate-limited',
    });
    expect(record).toMatchObject({
      decision: 'refused',
      stage: 'limits',
      reason: 'rate-limited',
    });
  });

  it('spends the write budget on writes only: reads go on when writes are used up', async () => {
    const first = await gateway.call('writer', 'refresh_entity', {
      entityRef: 'component:default/payments-api',
    });
    expect(first.text).not.toMatch(/rate limit/);
    const second = await gateway.call('writer', 'refresh_entity', {
      entityRef: 'component:default/payments-api',
    });
    expect(second.isError).toBe(true);
    expect(second.text).toMatch(/rateLimit\.writes/);
    expect((await gateway.call('writer', 'who_am_i')).isError).toBeFalsy();
  });

  it('leaves agents without a rateLimit unlimited', async () => {
    for (let i = 0; i < 10; i++) {
      expect((await gateway.call('free', 'who_am_i')).isError).toBeFalsy();
    }
  });
});
