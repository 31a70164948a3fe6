import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import {
  demoActionsPlugin,
  schedulerProbe,
} from '../../__testUtils__/demoActionsPlugin';
import {
  startTestGateway,
  TestGateway,
  tokenFor,
  waitForCatalog,
} from '../../__testUtils__/testGateway';
import {
  createMcpGatewayOperationConditionalDecision,
  mcpGatewayOperationConditions,
  toolInvokePermission,
} from '../../index';
import { answerOf, signInAs } from '../../testUtils';
import { ACTION_REFRESH_TASK } from './actionRefresh';

const DESCRIBE = 'action_demo_actions_describe_entity';
const DELETE = 'action_demo_actions_delete_widget';

/**
 * The admin console is readable by its owners (sre) only; and only sre
 * members may use destructive actions of the demo-actions plugin, decided
 * on the operation's source and access (a conditional decision the
 * gateway resolves through its operation resource refs).
 */
class SreOnlyPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    const sre = claims.includes('group:default/sre');
    if (isPermission(request.permission, catalogEntityReadPermission)) {
      return createCatalogConditionalDecision(request.permission, {
        anyOf: [
          {
            not: catalogConditions.hasMetadata({
              key: 'name',
              value: 'admin-console',
            }),
          },
          catalogConditions.isEntityOwner({ claims }),
        ],
      });
    }
    if (isPermission(request.permission, toolInvokePermission) && !sre) {
      return createMcpGatewayOperationConditionalDecision(request.permission, {
        not: {
          allOf: [
            mcpGatewayOperationConditions.isFromSource({
              sources: ['demo-actions'],
            }),
            mcpGatewayOperationConditions.hasAccess({ access: 'destructive' }),
          ],
        },
      });
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

describe("other plugins' actions, served as tools (real actions registry)", () => {
  let gateway: TestGateway;
  const scheduler = schedulerProbe();

  beforeAll(async () => {
    gateway = await startTestGateway({
      users: true,
      permissionPolicy: new SreOnlyPolicy(),
      features: [demoActionsPlugin, scheduler.module],
      backend: {
        actions: { pluginSources: ['catalog', 'demo-actions'] },
      },
      subjects: ['reader', 'writer', 'denier', 'limited'],
      agents: [
        {
          id: 'reader',
          principals: [{ service: 'reader' }],
          tools: { allow: ['*'] },
          entities: { exclude: { tags: ['restricted'] } },
          redact: ['metadata.description'],
        },
        {
          id: 'writer',
          principals: [{ service: 'writer' }],
          readOnly: false,
          tools: { allow: ['action_*'] },
        },
        {
          id: 'denier',
          principals: [{ service: 'denier' }],
          readOnly: false,
          tools: { allow: ['*'], deny: ['action_demo_actions_*'] },
        },
        {
          id: 'limited',
          principals: [{ service: 'limited' }],
          tools: { allow: [DESCRIBE] },
          rateLimit: { requests: 2, per: 'hour' },
        },
      ],
      // Signed-in users: the permission policy decides.
      defaultAgent: { readOnly: false, tools: { allow: ['action_*'] } },
      mcpGateway: {
        actions: { enabled: true, exclude: ['catalog:unregister-*'] },
      },
    });
    await waitForCatalog(gateway, tokenFor('reader'), 70);
  }, 90_000);

  afterAll(() => gateway?.stop());

  const toolsOf = async (subject: string) =>
    (await (await gateway.connect(subject)).listTools()).tools;
  const namesOf = async (subject: string) =>
    (await toolsOf(subject)).map(tool => tool.name).sort();

  it("lists actions beside the gateway's own tools, with their schemas and attributes, within the read grant", async () => {
    const tools = await toolsOf('reader');
    const names = tools.map(tool => tool.name);
    expect(names).toEqual(expect.arrayContaining(['get_entity', DESCRIBE]));
    // A read-only agent gets no write, whoever provides it.
    expect(names).not.toContain(DELETE);
    const describe = tools.find(tool => tool.name === DESCRIBE)!;
    expect(describe.title).toBe('Describe an entity');
    expect(describe.inputSchema).toEqual(
      expect.objectContaining({
        type: 'object',
        properties: { entityRef: { type: 'string', maxLength: 200 } },
        required: ['entityRef'],
      }),
    );
    expect(describe.inputSchema).not.toHaveProperty('$schema');
    expect(describe.annotations).toEqual(
      expect.objectContaining({
        readOnlyHint: true,
        destructiveHint: false,
        idempotentHint: true,
      }),
    );
  });

  it("never serves Backstage's own actions that the gateway's tools supersede, nor excluded ones", async () => {
    const names = await namesOf('writer');
    expect(names).toEqual(
      expect.arrayContaining([
        DESCRIBE,
        DELETE,
        'action_catalog_validate_entity',
      ]),
    );
    expect(names).not.toContain('action_catalog_get_catalog_entity');
    expect(names).not.toContain('action_catalog_query_catalog_entities');
    expect(names).not.toContain('action_catalog_register_entity');
    expect(names).not.toContain('action_catalog_unregister_entity');
    // The writer's allow list names actions only.
    expect(names.filter(name => !name.startsWith('action_'))).toEqual([]);
    const remove = (await toolsOf('writer')).find(
      tool => tool.name === DELETE,
    )!;
    expect(remove.annotations).toEqual(
      expect.objectContaining({ readOnlyHint: false, destructiveHint: true }),
    );
  });

  it('invokes an action with the credentials Backstage gives a service agent downstream', async () => {
    const answer = await gateway.call('writer', DELETE, { widget: 'w-1' });
    expect(answer.isError).toBe(false);
    // Backstage forwards no static-token service identity to another
    // plugin: the action sees the gateway's plugin token, as the catalog
    // does for every tool. Users are forwarded (see the permission test).
    expect(answer.data).toEqual({
      deleted: 'w-1',
      invokedBy: 'service:plugin:mcp-gateway',
    });
    expect(JSON.parse(answer.text)).toEqual(answer.data);
  });

  it("shapes what an action returns by the agent's data policy", async () => {
    const answer = await gateway.call('reader', DESCRIBE, {
      entityRef: 'component:default/payments-api',
    });
    expect(answer.isError).toBe(false);
    expect(answer.data.entity.metadata.name).toBe('payments-api');
    expect(answer.data.entity.metadata.description).toBe('[redacted]');
  });

  it('refuses to let an action act on an entity the agent may not see', async () => {
    const answer = await gateway.call('reader', DESCRIBE, {
      entityRef: 'component:default/admin-console',
    });
    expect(answer.isError).toBe(true);
    expect(answer.text).toBe(
      'No entity component:default/admin-console is visible to this agent.',
    );
  });

  it('checks arguments against the action schema before invoking, every problem at once', async () => {
    const answer = await gateway.call('writer', DELETE, {
      widget: 'x'.repeat(41),
      force: 'yes',
    });
    expect(answer.isError).toBe(true);
    expect(answer.text).toMatch(
      /^Invalid arguments for action_demo_actions_delete_widget: /,
    );
    expect(answer.text).toContain('widget: does not meet maximum length of 40');
    expect(answer.text).toContain('force: is not of a type(s) boolean');
    const [record] = await gateway.auditRecords({
      agent: 'writer',
      tool: DELETE,
    });
    expect(record).toMatchObject({
      decision: 'refused',
      stage: 'input',
      reason: 'invalid-input',
      operation: {
        name: DELETE,
        access: 'destructive',
        source: 'demo-actions',
      },
    });
  });

  it("applies the agent's tool patterns to action names", async () => {
    expect(await namesOf('denier')).not.toContain(DESCRIBE);
    const answer = await gateway.call('denier', DESCRIBE, {
      entityRef: 'component:default/payments-api',
    });
    expect(answer.isError).toBe(true);
    expect(answer.text).toContain('mcpGateway.agents[denier]');
  });

  it('counts action calls against the rate limit, and audits them with their source', async () => {
    const args = { entityRef: 'component:default/checkout-service' };
    expect((await gateway.call('limited', DESCRIBE, args)).isError).toBe(false);
    expect((await gateway.call('limited', DESCRIBE, args)).isError).toBe(false);
    const third = await gateway.call('limited', DESCRIBE, args);
    expect(third.isError).toBe(true);
    expect(third.text).toMatch(/rate limit/i);
    const records = await gateway.auditRecords({
      agent: 'limited',
      tool: DESCRIBE,
    });
    expect(
      records.map(r => [r.decision, r.reason, r.operation.source]).reverse(),
    ).toEqual([
      ['allowed', undefined, 'demo-actions'],
      ['allowed', undefined, 'demo-actions'],
      ['refused', 'rate-limited', 'demo-actions'],
    ]);
  });

  it('stops with the kill switch like every other tool', async () => {
    const disabled = await gateway.admin('agents/writer/disable', {
      method: 'POST',
      body: { reason: 'Widget incident' },
    });
    expect(disabled.status).toBe(200);
    try {
      expect(await namesOf('writer')).toEqual([]);
      const answer = await gateway.call('writer', DELETE, { widget: 'w-9' });
      expect(answer.isError).toBe(true);
      expect(answer.text).toContain('Widget incident');
    } finally {
      await gateway.admin('agents/writer/enable', { method: 'POST', body: {} });
    }
    expect(await namesOf('writer')).toContain(DELETE);
  });

  it("puts users' calls under the permission policy, which can decide by the action's plugin and access", async () => {
    const asUser = async (user: string) =>
      gateway.connectWithToken((await signInAs(gateway.baseUrl, user)).token);
    const bob = await asUser('bob');
    const alice = await asUser('alice');
    const bobsTools = (await bob.listTools()).tools.map(tool => tool.name);
    expect(bobsTools).toContain(DESCRIBE);
    expect(bobsTools).not.toContain(DELETE);
    const refused = answerOf(
      await bob.callTool({ name: DELETE, arguments: { widget: 'w-2' } }),
    );
    expect(refused.isError).toBe(true);
    expect(refused.text).toMatch(/permission/i);
    const done = answerOf(
      await alice.callTool({ name: DELETE, arguments: { widget: 'w-2' } }),
    );
    expect(done.data).toEqual({
      deleted: 'w-2',
      invokedBy: 'user:default/alice',
    });
    // The catalog's own permission policy applies inside the action, as the user.
    const hidden = answerOf(
      await bob.callTool({
        name: DESCRIBE,
        arguments: { entityRef: 'component:default/admin-console' },
      }),
    );
    expect(hidden.isError).toBe(true);
    const visible = answerOf(
      await alice.callTool({
        name: DESCRIBE,
        arguments: { entityRef: 'component:default/admin-console' },
      }),
    );
    expect(visible.data.entity.metadata.name).toBe('admin-console');
  });

  it('picks up actions registered after start-up at the next background refresh, not before', async () => {
    const response = await fetch(
      `${gateway.baseUrl}/api/demo-actions/register-late`,
      {
        method: 'POST',
      },
    );
    expect(response.status).toBe(204);
    const wave = 'action_demo_actions_wave';
    expect(await namesOf('reader')).not.toContain(wave);
    await expect(gateway.call('reader', wave)).rejects.toThrow(
      `Unknown tool: ${wave}`,
    );
    await scheduler.trigger(ACTION_REFRESH_TASK);
    expect(await namesOf('reader')).toContain(wave);
    expect((await gateway.call('reader', wave)).data).toEqual({ waved: true });
  });
});
