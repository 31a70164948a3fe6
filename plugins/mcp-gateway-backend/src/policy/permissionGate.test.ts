import { fakePermissions, userCredentials } from '../__testUtils__/unitDoubles';
import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  DefinitivePolicyDecision,
} from '@backstage/plugin-permission-common';
import { readGatewayConfig } from '../config/gatewayConfig';
import { Caller } from '../core/caller';
import { Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { PermissionGate } from './permissionGate';
import {
  promptGetPermission,
  resourceReadPermission,
  toolInvokePermission,
} from './permissions';

function userCaller(agentId: string, user: string): Caller {
  const [agent] = readGatewayConfig(
    new ConfigReader({
      mcpGateway: {
        agents: [
          { id: agentId, principals: [{ user }], tools: { allow: ['*'] } },
        ],
      },
    }),
  ).agents;
  return {
    agent,
    principal: user,
    principalType: 'user',
    user,
    credentials: userCredentials(user),
  };
}

const getEntity: Operation = {
  kind: 'tool',
  name: 'get_entity',
  access: 'read',
  source: 'gateway',
};
const register: Operation = {
  kind: 'tool',
  name: 'register_location',
  access: 'write',
  source: 'gateway',
};
const resource: Operation = {
  kind: 'resource',
  name: 'catalog://component:default/a',
  access: 'read',
  source: 'gateway',
};
const prompt: Operation = {
  kind: 'prompt',
  name: 'summarise',
  access: 'read',
  source: 'other-plugin',
};

const ALLOW: DefinitivePolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: DefinitivePolicyDecision = { result: AuthorizeResult.DENY };

describe('PermissionGate', () => {
  const alice = 'user:default/alice';

  it('is the permission stage and decides listings and calls alike', () => {
    const gate = new PermissionGate(fakePermissions());
    expect(gate.stage).toBe('permission');
    expect(gate.appliesTo).toBe('both');
  });

  it('asks once for a whole batch, with the permission of each kind, the operation refs and the caller credentials', async () => {
    const permissions = fakePermissions({
      authorize: jest.fn(async requests => requests.map(() => ALLOW)),
    });
    const caller = userCaller('copilot', alice);
    const decisions = await new PermissionGate(permissions).decide(caller, [
      getEntity,
      register,
      resource,
      prompt,
    ]);

    expect(decisions).toEqual([undefined, undefined, undefined, undefined]);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    const [requests, options] = permissions.authorize.mock.calls[0];
    expect(requests).toEqual([
      {
        permission: toolInvokePermission,
        resourceRef: 'copilot:tool:get_entity',
      },
      {
        permission: toolInvokePermission,
        resourceRef: 'copilot:tool:register_location',
      },
      {
        permission: resourceReadPermission,
        resourceRef: 'copilot:resource:catalog://component:default/a',
      },
      {
        permission: promptGetPermission,
        resourceRef: 'copilot:prompt:summarise',
      },
    ]);
    expect(options?.credentials).toBe(caller.credentials);
  });

  it('maps DENY to a permission-denied refusal naming the permission, the operation, the agent and the principal', async () => {
    const permissions = fakePermissions({
      authorize: jest.fn(async () => [DENY, ALLOW, DENY, DENY]),
    });
    const decisions = await new PermissionGate(permissions).decide(
      userCaller('copilot', alice),
      [getEntity, register, resource, prompt],
    );

    expect(decisions[0]).toBeInstanceOf(GatewayRefusal);
    expect(decisions[0]).toMatchObject({
      stage: 'permission',
      code: 'permission-denied',
      message:
        "Backstage's permission framework denied mcp-gateway.tool.invoke for tool 'get_entity' to agent 'copilot' (principal 'user:default/alice').",
    });
    expect(decisions[1]).toBeUndefined();
    expect(decisions[2]).toMatchObject({
      stage: 'permission',
      code: 'permission-denied',
      message:
        "Backstage's permission framework denied mcp-gateway.resource.read for resource 'catalog://component:default/a' to agent 'copilot' (principal 'user:default/alice').",
    });
    expect(decisions[3]).toMatchObject({
      code: 'permission-denied',
      message:
        "Backstage's permission framework denied mcp-gateway.prompt.get for prompt 'summarise' to agent 'copilot' (principal 'user:default/alice').",
    });
  });

  it('refuses a decision that is not a plain ALLOW (an unresolved CONDITIONAL)', async () => {
    const permissions = fakePermissions({
      authorize: jest.fn(async () => [
        {
          result: AuthorizeResult.CONDITIONAL,
          pluginId: 'mcp-gateway',
          resourceType: 'mcp-gateway-operation',
          conditions: { rule: 'IS_TOOL', params: { names: ['x'] } },
        } as any,
      ]),
    });
    const [refusal] = await new PermissionGate(permissions).decide(
      userCaller('a', 'user:default/p'),
      [{ kind: 'tool', name: 'x', access: 'read', source: 'gateway' }],
    );
    expect(refusal).toBeInstanceOf(GatewayRefusal);
    expect(refusal).toMatchObject({
      stage: 'permission',
      code: 'permission-denied',
      message:
        "Backstage's permission framework denied mcp-gateway.tool.invoke for tool 'x' to agent 'a' (principal 'user:default/p').",
    });
  });

  it('makes no permission request for an empty batch', async () => {
    const permissions = fakePermissions();
    expect(
      await new PermissionGate(permissions).decide(
        userCaller('copilot', alice),
        [],
      ),
    ).toEqual([]);
    expect(permissions.authorize).not.toHaveBeenCalled();
    expect(permissions.authorizeConditional).not.toHaveBeenCalled();
  });

  it('lets a failing permission backend fail the decision rather than allow', async () => {
    const permissions = fakePermissions({
      authorize: jest.fn(async () => {
        throw new Error('permission backend down');
      }),
    });
    await expect(
      new PermissionGate(permissions).decide(userCaller('copilot', alice), [
        getEntity,
      ]),
    ).rejects.toThrow('permission backend down');
  });
});
