import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernTransport,
} from '@modelcontextprotocol/client';
import {
  auditedDuring,
  messagesOf,
  startTestGateway,
  TestGateway,
  textOf,
  tokenFor,
  toolsAllowedFor,
  waitForCatalog,
} from '../__testUtils__/testGateway';

const INCIDENT_COPILOT = {
  id: 'incident-copilot',
  description: 'On-call assistant',
  principals: [{ service: 'incident-copilot' }],
  tools: { allow: ['*'] },
};
const NARROW_BOT = {
  id: 'narrow-bot',
  principals: [{ service: 'narrow-bot' }],
  tools: { allow: ['*'], deny: ['list_owners', 'get_entity_*'] },
};
const LOOKUP_BOT = {
  id: 'lookup-bot',
  principals: [{ service: 'lookup-bot' }],
  tools: { allow: ['get_entity', 'who_am_i'] },
};

describe('the MCP endpoint', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: [
        'incident-copilot',
        'narrow-bot',
        'lookup-bot',
        'hygiene-bot',
        'off-bot',
        'stranger',
      ],
      agents: [
        INCIDENT_COPILOT,
        NARROW_BOT,
        LOOKUP_BOT,
        {
          id: 'hygiene-bot',
          principals: [{ service: 'hygiene-bot' }],
          readOnly: false,
          tools: { allow: ['*'] },
        },
        {
          id: 'off-bot',
          principals: [{ service: 'off-bot' }],
          enabled: false,
          tools: { allow: ['*'] },
        },
      ],
    });
    await waitForCatalog(gateway, tokenFor('incident-copilot'), 70);
  }, 90_000);

  afterAll(() => gateway.stop());

  describe('authentication', () => {
    const listTools = { jsonrpc: '2.0', id: 7, method: 'tools/list' };

    it('serves RFC 9728 protected-resource metadata on the root router, to anyone', async () => {
      const response = await fetch(
        `${gateway.baseUrl}/.well-known/oauth-protected-resource/api/mcp-gateway`,
      );
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        resource: `${gateway.baseUrl}/api/mcp-gateway`,
        authorization_servers: [`${gateway.baseUrl}/api/auth`],
        bearer_methods_supported: ['header'],
        resource_name: 'Backstage MCP Gateway',
      });
    });

    it('answers a request without credentials with 401, a Bearer challenge and a JSON-RPC error', async () => {
      const response = await gateway.post(listTools);
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe(
        `Bearer realm="backstage", resource_metadata="${gateway.baseUrl}/.well-known/oauth-protected-resource/api/mcp-gateway"`,
      );
      expect(await response.json()).toEqual({
        jsonrpc: '2.0',
        // The body of an unidentified caller is never read, so its id is unknown.
        id: null,
        error: {
          code: -32001,
          message: expect.stringMatching(/^Missing credentials/),
        },
      });
    });

    it('answers a token Backstage does not accept with 401 invalid_token', async () => {
      const response = await gateway.post(listTools, {
        authorization: 'Bearer not-a-real-token',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain(
        'error="invalid_token"',
      );
      const body = await response.json();
      expect(body.error.message).toMatch(/not accepted/);
      expect(JSON.stringify(body)).not.toContain('not-a-real-token');
    });

    it('refuses an authenticated caller that matches no agent, naming its principal', async () => {
      const response = await gateway.post(listTools, {
        authorization: `Bearer ${tokenFor('stranger')}`,
      });
      expect(response.status).toBe(403);
      const body = await response.json();
      expect(body.error.message).toBe(
        "No MCP gateway agent is configured for service principal 'stranger'. An administrator can add it to mcpGateway.agents.",
      );
    });

    it('refuses the unknown caller through the SDK client too', async () => {
      await expect(gateway.connect('stranger')).rejects.toThrow(
        /403|No MCP gateway agent/,
      );
    });
  });

  describe('protocol', () => {
    it.each(['GET', 'DELETE'])(
      'answers %s with 405 (the endpoint is stateless), audited as answered, not refused',
      async method => {
        let response!: Response;
        const events = await auditedDuring(gateway, async () => {
          response = await fetch(gateway.url, {
            method,
            headers: {
              authorization: `Bearer ${tokenFor('incident-copilot')}`,
              accept: 'text/event-stream',
            },
          });
        });
        expect(response.status).toBe(405);
        // The spec's answer to a client asking for a stream this endpoint does not offer.
        expect(events).toHaveLength(1);
        expect(events[0]).toMatchObject({
          status: 'succeeded',
          meta: { agentId: 'incident-copilot', method: `HTTP ${method}` },
        });
      },
    );

    it('answers malformed JSON with a JSON-RPC parse error', async () => {
      const response = await gateway.post(
        '{"jsonrpc": "2.0", "id": 1, "method": ',
        {
          authorization: `Bearer ${tokenFor('incident-copilot')}`,
        },
      );
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe(-32700);
    });

    it('serves the 2025-11-25 handshake to the v1 SDK client', async () => {
      const client = await gateway.connect('incident-copilot');
      expect(client.getServerVersion()?.name).toBe('backstage-mcp-gateway');
      expect(client.getInstructions()).toMatch(/software catalog/);
    });

    it('negotiates 2025-06-18 with clients that ask for it', async () => {
      const response = await gateway.post(
        {
          jsonrpc: '2.0',
          id: 1,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'older-client', version: '1' },
          },
        },
        { authorization: `Bearer ${tokenFor('lookup-bot')}` },
      );
      expect(response.status).toBe(200);
      const [message] = await messagesOf(response);
      expect(message.result.protocolVersion).toBe('2025-06-18');
    });

    it('serves 2026-07-28 (no initialize) to the v2 SDK client', async () => {
      const client = new ModernClient(
        { name: 'modern-test', version: '1.0.0' },
        { versionNegotiation: { mode: { pin: '2026-07-28' } } },
      );
      await client.connect(
        new ModernTransport(new URL(gateway.url), {
          requestInit: {
            headers: { Authorization: `Bearer ${tokenFor('lookup-bot')}` },
          },
        }),
      );
      try {
        expect(client.getNegotiatedProtocolVersion()).toBe('2026-07-28');
        const { tools } = await client.listTools();
        expect(tools.map(t => t.name).sort()).toEqual(
          toolsAllowedFor(LOOKUP_BOT).sort(),
        );
        const result = await client.callTool({
          name: 'who_am_i',
          arguments: {},
        });
        expect((result.structuredContent as any).agent.id).toBe('lookup-bot');
      } finally {
        await client.close();
      }
    });
  });

  describe('tools/list', () => {
    it('lists every tool, snake_case, read-only, with input and output schemas', async () => {
      const client = await gateway.connect('incident-copilot');
      const { tools } = await client.listTools();
      expect(tools.map(t => t.name).sort()).toEqual(
        toolsAllowedFor(INCIDENT_COPILOT).sort(),
      );
      for (const tool of tools) {
        expect(tool.name).toMatch(/^[a-z]+(_[a-z]+)*$/);
        expect(tool.description!.length).toBeGreaterThan(40);
        expect(tool.inputSchema.type).toBe('object');
        expect(tool.outputSchema?.type).toBe('object');
        expect(tool.annotations).toMatchObject({
          readOnlyHint: true,
          destructiveHint: false,
          openWorldHint: false,
        });
      }
    });

    it('shows each agent exactly the tools its allow and deny patterns leave', async () => {
      const narrow = await gateway.connect('narrow-bot');
      const narrowTools = (await narrow.listTools()).tools.map(t => t.name);
      expect(narrowTools.sort()).toEqual(toolsAllowedFor(NARROW_BOT).sort());
      // `get_entity_*` denies get_entity_relations, not get_entity.
      expect(narrowTools).toContain('get_entity');
      expect(narrowTools).not.toContain('get_entity_relations');
      const lookup = await gateway.connect('lookup-bot');
      expect((await lookup.listTools()).tools.map(t => t.name).sort()).toEqual(
        toolsAllowedFor(LOOKUP_BOT).sort(),
      );
    });
  });

  describe('audit', () => {
    it('records a successful call with the agent, principal, tool and arguments, the caller as actor', async () => {
      const client = await gateway.connect('lookup-bot');
      const events = await auditedDuring(gateway, () =>
        client.callTool({ name: 'who_am_i', arguments: {} }),
      );
      const [event] = events.filter(
        e => e.meta.agentId === 'lookup-bot' && e.meta.tool === 'who_am_i',
      );
      expect(event).toMatchObject({
        eventId: 'tool-call',
        status: 'succeeded',
        // Backstage's auditor names the caller, not the gateway plugin.
        actorId: 'lookup-bot',
        // A successful read is routine: written at debug.
        severityLevel: 'low',
        level: 'debug',
        meta: {
          principal: 'lookup-bot',
          method: 'tools/call',
          access: 'read',
          outcome: 'succeeded',
          arguments: {},
        },
      });
      expect(event.meta.durationMs).toEqual(expect.any(Number));
    });

    it('records tools/list with how many tools the agent was shown', async () => {
      const client = await gateway.connect('lookup-bot');
      const events = await auditedDuring(gateway, () => client.listTools());
      const listed = events.filter(
        e => e.eventId === 'tool-list' && e.meta.agentId === 'lookup-bot',
      );
      expect(listed.at(-1)).toMatchObject({
        actorId: 'lookup-bot',
        status: 'succeeded',
        meta: {
          method: 'tools/list',
          outcome: 'succeeded',
          listed: toolsAllowedFor(LOOKUP_BOT).length,
        },
      });
    });

    it('records refusals, invalid input and unknown tools at info, with the stage that ended them', async () => {
      const client = await gateway.connect('narrow-bot');
      const events = await auditedDuring(gateway, async () => {
        await client.callTool({
          name: 'list_owners',
          arguments: { ref: 'x' },
        });
        await client.callTool({
          name: 'search_catalog',
          arguments: { limit: 0 },
        });
        await client
          .callTool({ name: 'no_such_tool', arguments: {} })
          .catch(() => undefined);
      });
      const mine = events.filter(
        e => e.eventId === 'tool-call' && e.meta.agentId === 'narrow-bot',
      );
      expect(
        mine.map(e => [
          e.meta.tool,
          e.meta.outcome,
          e.meta.stage,
          e.status,
          e.level,
          e.actorId,
        ]),
      ).toEqual([
        ['list_owners', 'refused', 'policy', 'failed', 'info', 'narrow-bot'],
        ['search_catalog', 'invalid', 'input', 'failed', 'info', 'narrow-bot'],
        ['no_such_tool', 'invalid', 'protocol', 'failed', 'info', 'narrow-bot'],
      ]);
      expect(mine[0].meta.reason).toMatch(/tools\.deny pattern 'list_owners'/);
    });

    it('records callers refused at the door at info, and never logs the token they sent', async () => {
      const events = await auditedDuring(gateway, async () => {
        await gateway.post(
          { jsonrpc: '2.0', id: 1, method: 'tools/list' },
          { authorization: 'Bearer leaked-secret-value' },
        );
        await gateway.post(
          { jsonrpc: '2.0', id: 2, method: 'tools/list' },
          { authorization: `Bearer ${tokenFor('stranger')}` },
        );
      });
      expect(
        events.map(e => [e.meta.outcome, e.meta.stage, e.level, e.status]),
      ).toEqual([
        ['unauthenticated', 'identity', 'info', 'failed'],
        ['refused', 'identity', 'info', 'failed'],
      ]);
      expect(events[1].meta.reason).toContain("service principal 'stranger'");
      expect(JSON.stringify(gateway.logs)).not.toMatch(
        /leaked-secret-value|test-token-/,
      );
    });

    it('keeps a refused call with a huge argument out of the logs, saying it was cut', async () => {
      const client = await gateway.connect('narrow-bot');
      const huge = 'x'.repeat(900_000);
      const logsBefore = gateway.logs.length;
      const events = await auditedDuring(gateway, () =>
        client.callTool({
          name: 'list_owners',
          arguments: { ref: huge },
        }),
      );
      const written = gateway.logs.slice(logsBefore);
      const bytes = written.reduce((sum, line) => sum + line.size, 0);
      expect(bytes).toBeLessThan(32_000);
      const event = events.at(-1)!;
      expect(event.meta.outcome).toBe('refused');
      expect(event.meta.arguments).toEqual({
        truncated: true,
        bytes: 900_010,
        preview: expect.stringMatching(/^\{"ref":"xxx/),
      });
    });
  });

  describe('write tools', () => {
    it('are never granted to a read-only agent, even by a wildcard', async () => {
      const client = await gateway.connect('incident-copilot');
      expect((await client.listTools()).tools.map(t => t.name)).not.toContain(
        'refresh_entity',
      );
      const result = await client.callTool({
        name: 'refresh_entity',
        arguments: { ref: 'payments-api' },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        "Agent 'incident-copilot' may not call tool 'refresh_entity' (refused by mcpGateway.agents[incident-copilot].readOnly (write tools need readOnly: false)).",
      );
    });

    it('are listed and callable for an agent with readOnly: false', async () => {
      const client = await gateway.connect('hygiene-bot');
      const { tools } = await client.listTools();
      const refresh = tools.find(t => t.name === 'refresh_entity');
      expect(refresh?.annotations).toMatchObject({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
      });
      let result!: Awaited<ReturnType<typeof client.callTool>>;
      const events = await auditedDuring(gateway, async () => {
        result = await client.callTool({
          name: 'refresh_entity',
          arguments: { ref: 'payments-api' },
        });
      });
      expect(result.isError).toBeFalsy();
      expect(result.structuredContent).toEqual({
        ref: 'component:default/payments-api',
        scheduled: true,
      });
      expect(events.at(-1)).toMatchObject({
        severityLevel: 'medium',
        meta: {
          agentId: 'hygiene-bot',
          tool: 'refresh_entity',
          access: 'write',
          outcome: 'succeeded',
        },
      });
    });
  });

  describe('a disabled agent', () => {
    it('sees no tools and is refused, naming the switch', async () => {
      const client = await gateway.connect('off-bot');
      expect((await client.listTools()).tools).toEqual([]);
      const result = await client.callTool({ name: 'who_am_i', arguments: {} });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        "Agent 'off-bot' is disabled (mcpGateway.agents[off-bot].enabled: false).",
      );
    });
  });

  describe('tools/call', () => {
    it('refuses a denied tool, naming the rule that refused it', async () => {
      const client = await gateway.connect('narrow-bot');
      const result = await client.callTool({
        name: 'list_owners',
        arguments: { ref: 'payments-api' },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        "Agent 'narrow-bot' may not call tool 'list_owners' (refused by mcpGateway.agents[narrow-bot].tools.deny pattern 'list_owners').",
      );
    });

    it('refuses a tool no allow pattern names', async () => {
      const client = await gateway.connect('lookup-bot');
      const result = await client.callTool({
        name: 'search_catalog',
        arguments: { term: 'payments' },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toContain(
        'refused by mcpGateway.agents[lookup-bot].tools.allow (no pattern matches)',
      );
    });

    it('refuses before validating: a denied tool with bad arguments is still just refused', async () => {
      const client = await gateway.connect('lookup-bot');
      const result = await client.callTool({
        name: 'search_catalog',
        arguments: { limit: 'many' },
      });
      expect(textOf(result)).toMatch(/may not call tool 'search_catalog'/);
    });

    it('answers an unknown tool with a JSON-RPC invalid params error', async () => {
      const client = await gateway.connect('incident-copilot');
      await expect(
        client.callTool({ name: 'drop_database', arguments: {} }),
      ).rejects.toMatchObject({
        code: -32602,
        message: expect.stringContaining('Unknown tool: drop_database'),
      });
    });

    it('answers invalid arguments with a tool error naming each bad field', async () => {
      const client = await gateway.connect('incident-copilot');
      const result = await client.callTool({
        name: 'search_catalog',
        arguments: { term: 'payments', limit: 500, kind: 7 },
      });
      expect(result.isError).toBe(true);
      const text = textOf(result);
      expect(text).toMatch(/^Invalid arguments for search_catalog: /);
      expect(text).toMatch(/limit: .*<=100/);
      expect(text).toMatch(/kind: .*expected string/);
    });

    it('tells the agent who it is', async () => {
      const client = await gateway.connect('narrow-bot');
      const result = await client.callTool({ name: 'who_am_i', arguments: {} });
      expect(result.structuredContent).toEqual({
        agent: { id: 'narrow-bot' },
        principal: 'narrow-bot',
        principalType: 'service',
        matchedBy: 'service narrow-bot',
        policy: { readOnly: true, redacted: [] },
        tools: [
          {
            name: 'search_catalog',
            title: 'Search the catalog',
            access: 'read',
          },
          { name: 'get_entity', title: 'Get a catalog entity', access: 'read' },
          {
            name: 'list_entities',
            title: 'List catalog entities',
            access: 'read',
          },
          { name: 'who_am_i', title: 'Who am I', access: 'read' },
          {
            name: 'list_templates',
            title: 'List templates this agent may run',
            access: 'read',
          },
          {
            name: 'get_template',
            title: 'Get a template’s parameters',
            access: 'read',
          },
          {
            name: 'get_task',
            title: 'Get a template task',
            access: 'read',
          },
          {
            name: 'list_tasks',
            title: 'List this agent’s template tasks',
            access: 'read',
          },
          {
            access: 'read',
            name: 'get_techdocs',
            title: 'Read TechDocs',
          },
          {
            access: 'read',
            name: 'search_techdocs',
            title: 'Search the documentation',
          },
          { access: 'read', name: 'search', title: 'Search Backstage' },
        ],
      });
      expect(textOf(result)).toContain(
        'tools: search_catalog, get_entity, list_entities, who_am_i, list_templates, get_template, get_task, list_tasks',
      );
    });
  });
});
