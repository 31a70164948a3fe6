import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { DemoBackend, startDemoBackend } from './__testUtils__/demoBackend';

jest.setTimeout(180_000);

const DEMO_TOKEN = `e2e-${Math.random().toString(36).slice(2)}`;

describe('the README start command', () => {
  let backend: DemoBackend;
  let client: Client;

  const call = async (name: string, args: Record<string, unknown>) => {
    const result: any = await client.callTool({ name, arguments: args });
    expect(result.isError).toBeFalsy();
    return result.content[0].text as string;
  };

  beforeAll(async () => {
    backend = await startDemoBackend({ MCP_GATEWAY_DEMO_TOKEN: DEMO_TOKEN });
    client = new Client({ name: 'e2e', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(
        new URL(`${backend.baseUrl}/api/mcp-gateway`),
        {
          requestInit: { headers: { Authorization: `Bearer ${DEMO_TOKEN}` } },
        },
      ),
    );
    // The sample organisation is ingested a few seconds after start.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const result: any = await client.callTool({
        name: 'get_entity',
        arguments: { ref: 'risk-scoring' },
      });
      if (
        !result.isError &&
        result.structuredContent.entity.relations.length > 2
      )
        break;
      await new Promise(r => setTimeout(r, 500));
    }
  });

  afterAll(async () => {
    await client?.close();
    await backend?.stop();
  });

  it('prints the MCP URL and the demo token, honouring the override', () => {
    expect(backend.output()).toContain(
      `MCP gateway ready: ${backend.baseUrl}/api/mcp-gateway`,
    );
    expect(backend.output()).toMatch(
      new RegExp(`incident-copilot\\s+Authorization: Bearer ${DEMO_TOKEN}`),
    );
  });

  it('lists the read tools to the demo agent', async () => {
    const { tools } = await client.listTools();
    expect(tools.map(t => t.name).sort()).toEqual([
      'get_entity',
      'get_entity_relations',
      'get_template',
      'list_entities',
      'list_owners',
      'list_templates',
      'search_catalog',
      'who_am_i',
    ]);
  });

  it('gives a correct compact answer from each tool', async () => {
    expect(await call('who_am_i', {})).toContain('agent: incident-copilot');
    expect(await call('search_catalog', { term: 'checkout' })).toContain(
      'component:default/checkout-service "Checkout Service" (service, production)',
    );
    expect(await call('get_entity', { ref: 'payments-api' })).toContain(
      'owner: group:default/payments-team',
    );
    expect(await call('list_entities', { kind: 'Group' })).toMatch(
      /Showing 1-6 of 6\.$/,
    );
    expect(
      await call('get_entity_relations', {
        ref: 'payments-api',
        direction: 'incoming',
        relationTypes: ['dependsOn'],
      }),
    ).toContain(
      'component:default/checkout-service "Checkout Service" --dependsOn--> component:default/payments-api',
    );
    expect(await call('list_owners', { ref: 'payments-api' })).toContain(
      'owned by group:default/payments-team "Payments" <payments@acme.example>',
    );
  });
});
