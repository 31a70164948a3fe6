import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { DemoBackend, startDemoBackend } from './__testUtils__/demoBackend';
import { parse } from 'yaml';

jest.setTimeout(180_000);

const DEMO_TOKEN = `e2e-${Math.random().toString(36).slice(2)}`;
const AUTOMATION_TOKEN = `e2e-${Math.random().toString(36).slice(2)}`;
const ADMIN_TOKEN = `e2e-${Math.random().toString(36).slice(2)}`;

async function connect(baseUrl: string, token: string) {
  const client = new Client({ name: 'e2e', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${baseUrl}/api/mcp-gateway`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  return client;
}

describe("the README start command's backend", () => {
  let backend: DemoBackend;
  let client: Client;

  const call = async (name: string, args: Record<string, unknown>) => {
    const result: any = await client.callTool({ name, arguments: args });
    expect(result.isError).toBeFalsy();
    return result.content[0].text as string;
  };

  beforeAll(async () => {
    backend = await startDemoBackend({
      MCP_GATEWAY_DEMO_TOKEN: DEMO_TOKEN,
      PLATFORM_AUTOMATION_TOKEN: AUTOMATION_TOKEN,
      GATEWAY_ADMIN_TOKEN: ADMIN_TOKEN,
    });
    client = await connect(backend.baseUrl, DEMO_TOKEN);
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
      'get_task',
      'get_techdocs',
      'get_template',
      'list_entities',
      'list_owners',
      'list_tasks',
      'list_templates',
      'search',
      'search_catalog',
      'search_techdocs',
      'who_am_i',
    ]);
  });

  it('serves the sample TechDocs, and indexes them for search soon after start', async () => {
    expect(
      await call('get_techdocs', { ref: 'payments-api', path: 'runbook/' }),
    ).toContain('## Failover to the secondary region');
    // app-config.yaml schedules the collators a few seconds after start.
    const deadline = Date.now() + 60_000;
    let found = '';
    while (Date.now() < deadline) {
      // Until the first run, the search backend has no techdocs index.
      const result: any = await client.callTool({
        name: 'search_techdocs',
        arguments: { query: 'settlement backlog' },
      });
      found = result.content[0].text;
      if (found.includes('path "runbook/#draining-the-settlement-backlog"')) {
        break;
      }
      await new Promise(r => setTimeout(r, 1000));
    }
    expect(found).toContain(
      'Draining the settlement backlog (component:default/payments-api, path "runbook/#draining-the-settlement-backlog")',
    );
  }, 90_000);

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

  it('registers itself in the catalog as an MCP server at the URL it serves', async () => {
    // Installed by the one backend.add line, as adopters install it.
    const deadline = Date.now() + 30_000;
    let result: any;
    do {
      result = await client.callTool({
        name: 'get_entity',
        arguments: { ref: 'api:default/mcp-gateway', detail: 'full' },
      });
      if (!result.isError) break;
      await new Promise(r => setTimeout(r, 500));
    } while (Date.now() < deadline);
    const remotes = [
      { type: 'streamable-http', url: `${backend.baseUrl}/api/mcp-gateway` },
    ];
    const { spec } = result.structuredContent.full;
    expect(spec).toMatchObject({ type: 'mcp-server', remotes });
    expect(parse(spec.definition)).toMatchObject({
      name: 'localhost/mcp-gateway',
      remotes,
    });
  });

  // The demo on a random port (APP_CONFIG_backend_listen_port): the drafts
  // prefix in app-config.yaml must follow it, or none of this passes.
  describe('platform-automation, registering the drafts the demo serves', () => {
    let automation: Client;
    const drafts = () => `${backend.baseUrl}/api/demo-drafts`;
    const register = async (url: string, dryRun: boolean) =>
      (await automation.callTool({
        name: 'register_location',
        arguments: { url, dryRun },
      })) as any;
    /** The catalog's own view, past the gateway (and its rate limit). */
    const catalog = async (path: string) => {
      const response = await fetch(`${backend.baseUrl}/api/catalog/${path}`, {
        headers: { Authorization: `Bearer ${AUTOMATION_TOKEN}` },
      });
      return { status: response.status, body: await response.json() };
    };
    const registeredTargets = async () =>
      (await catalog('locations')).body.map((l: any) => l.data.target);

    beforeAll(async () => {
      automation = await connect(backend.baseUrl, AUTOMATION_TOKEN);
    });

    afterAll(() => automation?.close());

    it('dry-runs a draft: lists what it would add, registers nothing', async () => {
      const url = `${drafts()}/ledger-reconciler.yaml`;
      const preview = await register(url, true);
      expect(preview.isError).toBeFalsy();
      expect(preview.structuredContent).toMatchObject({
        url,
        dryRun: true,
        registered: false,
        alreadyRegistered: false,
      });
      expect(preview.structuredContent.entities).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            ref: 'component:default/ledger-reconciler',
            owner: 'payments-team',
            existing: false,
          }),
          expect.objectContaining({
            ref: 'api:default/ledger-reconciliation-rest',
            existing: false,
          }),
        ]),
      );
      expect(preview.content[0].text).toContain('Dry run, nothing registered');
      expect(await registeredTargets()).not.toContain(url);
    });

    it('registers the draft, whose component the catalog then serves', async () => {
      const url = `${drafts()}/ledger-reconciler.yaml`;
      const registered = await register(url, false);
      expect(registered.isError).toBeFalsy();
      expect(registered.structuredContent).toMatchObject({
        registered: true,
        location: { target: url },
      });
      expect(await registeredTargets()).toContain(url);

      // The catalog fetches and processes the file in the background.
      const deadline = Date.now() + 60_000;
      while (
        (await catalog('entities/by-name/component/default/ledger-reconciler'))
          .status !== 200 &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 500));
      }
      const entity: any = await automation.callTool({
        name: 'get_entity',
        arguments: { ref: 'ledger-reconciler' },
      });
      expect(entity.isError).toBeFalsy();
      expect(entity.structuredContent.entity.ref).toBe(
        'component:default/ledger-reconciler',
      );
    });

    it('is refused any URL outside the drafts prefix, naming the rule', async () => {
      const refused = [
        `${backend.baseUrl}/api/other/x.yaml`,
        // Resolved before matching: this is /api/catalog/x.yaml.
        `${drafts()}/../catalog/x.yaml`,
        // One segment below the prefix only.
        `${drafts()}/nested/x.yaml`,
        // The same backend under another name is not the prefix.
        `${drafts().replace('localhost', '127.0.0.1')}/fraud-signals.yaml`,
      ];
      for (const url of refused) {
        const answer = await register(url, true);
        expect({
          url,
          isError: answer.isError,
          text: answer.content[0].text,
        }).toEqual({
          url,
          isError: true,
          text: expect.stringContaining(
            'mcpGateway.agents[platform-automation].locations.allow',
          ),
        });
      }
      const audit = await fetch(
        `${backend.baseUrl}/api/mcp-gateway/admin/audit?agent=platform-automation&reason=location-not-allowed`,
        { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } },
      );
      const { records } = await audit.json();
      expect(records).toHaveLength(refused.length);
      expect(records[0]).toMatchObject({
        decision: 'refused',
        reason: 'location-not-allowed',
      });
    });
  });
});
