import {
  askThroughPortal,
  signInAs,
  textOf,
  toolsAllowedFor,
  waitForCatalog,
} from '@mcp-gateway/plugin-mcp-gateway-backend/testUtils';
import { DemoGateway, startDemoGateway } from './__testUtils__/demoGateway';

jest.setTimeout(60_000);

/** A valid call of every tool the gateway serves. */
const CALLS: Record<string, Record<string, unknown>> = {
  search_catalog: { term: 'payments' },
  get_entity: { ref: 'payments-api' },
  list_entities: { kind: 'System' },
  get_entity_relations: { ref: 'payments-api' },
  list_owners: { ref: 'payments-api' },
  who_am_i: {},
  refresh_entity: { ref: 'payments-api' },
  // A dry run on a draft the demo serves; the URL once it serves them.
  register_location: { url: '<demo drafts>', dryRun: true },
  list_templates: {},
  get_template: { templateRef: 'new-service' },
  run_template: {
    templateRef: 'new-service',
    values: {
      name: 'demo-service',
      owner: 'group:default/platform',
      system: 'payments',
    },
    secrets: { deployToken: 'demo-deploy-token' },
    dryRun: true,
  },
  // A task of platform-automation's, started before the calls (beforeAll).
  get_task: { taskId: '' },
  list_tasks: {},
  cancel_task: { taskId: '' },
  get_techdocs: { ref: 'payments-api', path: 'runbook/' },
  search_techdocs: { query: 'settlement backlog' },
  search: { query: 'payments' },
};
/**
 * Tools that read or act on one of the caller's own tasks: an agent that
 * started none gets past every gate and is told the task is not found.
 */
const OWN_TASK_TOOLS = new Set(['get_task', 'cancel_task']);
/** Every tool the gateway serves. */
const ALL = toolsAllowedFor({
  readOnly: false,
  tools: { allow: ['*'] },
}).sort();
/** Every read tool the gateway serves. */
const READS = toolsAllowedFor({ tools: { allow: ['*'] } }).sort();

/**
 * What app-config.yaml grants each demo agent (README's "Demo agents"
 * table): the contract this test holds it to. "Every read tool" comes from
 * the gateway's registry; tools the table names one by one are named here.
 */
const EXPECTED: Record<string, string[]> = {
  'incident-copilot': READS,
  'onboarding-bot': [
    'get_entity',
    'get_techdocs',
    'list_entities',
    'list_owners',
    'search',
    'search_catalog',
    'search_techdocs',
    'who_am_i',
  ],
  'catalog-hygiene': [
    'get_entity',
    'get_entity_relations',
    'list_entities',
    'list_owners',
    'refresh_entity',
    'search_catalog',
    'who_am_i',
  ],
  'platform-automation': [
    'cancel_task',
    'get_entity',
    'get_task',
    'get_template',
    'list_entities',
    'list_tasks',
    'list_templates',
    'register_location',
    'run_template',
    'search_catalog',
    'who_am_i',
  ],
};

const MATRIX = Object.entries(EXPECTED).flatMap(([agent, granted]) =>
  ALL.map(tool => ({ agent, tool, granted: granted.includes(tool) })),
);
const GRANTED = MATRIX.filter(c => c.granted).map(c => [c.agent, c.tool]);
const REFUSED = MATRIX.filter(c => !c.granted).map(c => [c.agent, c.tool]);

describe('the demo agents of app-config.yaml', () => {
  let demo: DemoGateway;

  beforeAll(async () => {
    demo = await startDemoGateway();
    CALLS.register_location.url = `${demo.draftsUrl}/ledger-reconciler.yaml`;

    // The sample organisation (67 entities) and the gateway's own API entity.
    await waitForCatalog(demo, demo.tokens.get('incident-copilot')!, 68);
    await demo.indexSearch();
    // A task of platform-automation's own, for get_task and cancel_task.
    const automation = await demo.connect(
      demo.tokens.get('platform-automation')!,
    );
    const run: any = await automation.callTool({
      name: 'run_template',
      arguments: { ...CALLS.run_template, dryRun: false, waitSeconds: 30 },
    });
    if (run.structuredContent?.status !== 'completed') {
      throw new Error(`The demo task did not complete: ${textOf(run)}`);
    }
    CALLS.get_task.taskId = CALLS.cancel_task.taskId =
      run.structuredContent.taskId;
  }, 90_000);

  afterAll(() => demo?.stop());

  it('has a valid call of every tool the gateway serves', () => {
    expect(Object.keys(CALLS).sort()).toEqual(ALL);
  });

  it.each(Object.entries(EXPECTED))(
    '%s lists exactly its tools',
    async (agent, granted) => {
      const client = await demo.connect(demo.tokens.get(agent)!);
      const { tools } = await client.listTools();
      expect(tools.map(t => t.name).sort()).toEqual(granted);
    },
  );

  it.each(GRANTED)('%s may call %s', async (agent, tool) => {
    const client = await demo.connect(demo.tokens.get(agent)!);
    const result: any = await client.callTool({
      name: tool,
      arguments: CALLS[tool],
    });
    // Past every gate, a task of someone else's is simply not found.
    const notOwnTask =
      OWN_TASK_TOOLS.has(tool) && agent !== 'platform-automation';
    expect({
      isError: result.isError === true,
      text: notOwnTask ? textOf(result) : undefined,
    }).toEqual({
      isError: notOwnTask,
      text: notOwnTask
        ? `No task ${CALLS[tool].taskId} of this agent.`
        : undefined,
    });
  });

  it.each(REFUSED)('%s is refused %s, naming the rule', async (agent, tool) => {
    const client = await demo.connect(demo.tokens.get(agent)!);
    const result: any = await client.callTool({
      name: tool,
      arguments: CALLS[tool],
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      `Agent '${agent}' may not call tool '${tool}' (refused by mcpGateway.agents[${agent}].`,
    );
  });

  it.each([
    ['incident-copilot', ['incident_response'], ['entity', 'techdocs']],
    [
      'onboarding-bot',
      ['onboarding', 'catalog_hygiene'],
      ['entity', 'techdocs'],
    ],
    ['catalog-hygiene', ['catalog_hygiene'], []],
    ['platform-automation', ['catalog_hygiene'], []],
  ])(
    '%s lists the prompts %j and the resources %j',
    async (agent, prompts, resources) => {
      const client = await demo.connect(demo.tokens.get(agent)!);
      expect((await client.listPrompts()).prompts.map(p => p.name)).toEqual(
        prompts,
      );
      expect(
        (await client.listResourceTemplates()).resourceTemplates.map(
          t => t.name,
        ),
      ).toEqual(resources);
    },
  );

  describe("the gateway's own catalog entity (mcpGateway.catalogEntity)", () => {
    it("is the platform group's MCP server in the developer platform", async () => {
      const client = await demo.connect(demo.tokens.get('incident-copilot')!);
      const result: any = await client.callTool({
        name: 'get_entity',
        arguments: { ref: 'api:default/mcp-gateway', detail: 'full' },
      });
      expect(result.structuredContent.full).toMatchObject({
        metadata: {
          annotations: { 'mcp.spotify.com/auth-plugin-id': 'mcp-gateway' },
        },
        spec: {
          type: 'mcp-server',
          lifecycle: 'production',
          owner: 'group:default/platform',
          system: 'system:default/developer-platform',
          remotes: [
            { type: 'streamable-http', url: `${demo.baseUrl}/api/mcp-gateway` },
          ],
        },
      });
    });
  });

  describe('platform-automation', () => {
    it('ran new-service to completion; get_task shows its output and log', async () => {
      const client = await demo.connect(
        demo.tokens.get('platform-automation')!,
      );
      const result: any = await client.callTool({
        name: 'get_task',
        arguments: { taskId: CALLS.get_task.taskId },
      });
      expect(result.structuredContent).toMatchObject({
        status: 'completed',
        templateRef: 'template:default/new-service',
        output: {
          links: [{ entityRef: 'system:default/payments' }],
        },
      });
      expect(result.structuredContent.log).toContainEqual(
        expect.objectContaining({ message: 'info: Writing catalog-info.yaml' }),
      );
      expect(JSON.stringify(result)).not.toContain('demo-deploy-token');
    });
  });

  describe('onboarding-bot', () => {
    it('never sees emails, secret-like annotations or restricted entities', async () => {
      const client = await demo.connect(demo.tokens.get('onboarding-bot')!);
      const owners: any = await client.callTool({
        name: 'list_owners',
        arguments: { ref: 'payments-api' },
      });
      const entity: any = await client.callTool({
        name: 'get_entity',
        arguments: { ref: 'payments-api', detail: 'full' },
      });
      const everything = JSON.stringify([owners, entity]);
      expect(everything).not.toMatch(
        /@acme\.example|secret\/data\/payments|P7Q2K9X/,
      );
      expect(everything).toContain('[redacted]');
      const hidden: any = await client.callTool({
        name: 'get_entity',
        arguments: { ref: 'admin-console' },
      });
      expect(hidden.isError).toBe(true);
    });
  });

  describe('portal-chat, on behalf of signed-in users, under the shipped permission policy', () => {
    const toolsFor = async (user: string) => {
      const { token } = await signInAs(demo.baseUrl, user);
      return (await askThroughPortal(demo.baseUrl, token)).tools
        .map((t: any) => t.name)
        .sort();
    };

    it('reaches the gateway through its catalog entity, as Portal does', async () => {
      const { token } = await signInAs(demo.baseUrl, 'bob');
      const answer = await askThroughPortal(
        demo.baseUrl,
        token,
        'who_am_i',
        {},
        {
          server: 'api:default/mcp-gateway',
        },
      );
      expect(answer.structuredContent).toMatchObject({
        agent: { id: 'portal-chat' },
        principal: 'user:default/bob',
        actor: 'plugin:portal-ai-chat',
      });
    });

    it('grants write tools only to members of the platform group', async () => {
      expect(await toolsFor('carol')).toEqual(ALL);
      expect(await toolsFor('bob')).toEqual(READS);
      const { token } = await signInAs(demo.baseUrl, 'bob');
      const refused = await askThroughPortal(
        demo.baseUrl,
        token,
        'refresh_entity',
        { ref: 'payments-api' },
      );
      expect(textOf(refused)).toBe(
        "Backstage's permission framework denied mcp-gateway.tool.invoke for tool 'refresh_entity' to agent 'portal-chat' (principal 'user:default/bob').",
      );
    });

    it('shows the finance namespace only to its owners', async () => {
      const ledger = async (user: string) => {
        const { token } = await signInAs(demo.baseUrl, user);
        return askThroughPortal(demo.baseUrl, token, 'get_entity', {
          ref: 'ledger-service',
        });
      };
      expect((await ledger('bob')).structuredContent.entity.ref).toBe(
        'component:finance/ledger-service',
      );
      expect((await ledger('alice')).isError).toBe(true);
    });
  });
});
