import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AdminMatcher } from '../config/gatewayConfig';
import { adminPermission } from '../policy/permissions';
import {
  fakePermissions,
  serviceCredentials,
  userCredentials,
} from '../__testUtils__/unitDoubles';
import { userInfoWithGroups } from './__testUtils__/adminDoubles';
import { decideAdminAccess } from './adminAccess';

const admins: AdminMatcher[] = [
  { service: 'ops-bot' },
  { user: 'user:default/Alice' },
  { group: 'group:default/SRE' },
];

function options(
  result: AuthorizeResult.ALLOW | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
) {
  const permissions = fakePermissions({
    authorize: async requests => requests.map(() => ({ result })),
  });
  const userInfo = userInfoWithGroups({
    'user:default/bob': ['group:default/sre'],
    'user:default/carol': ['group:default/dev'],
  });
  const getUserInfo = jest.spyOn(userInfo, 'getUserInfo');
  return { admins, permissions, userInfo, getUserInfo };
}

const anonymous = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'none' },
} as BackstageCredentials;

describe('decideAdminAccess', () => {
  it('turns anonymous callers away with 401', async () => {
    const access = await decideAdminAccess(anonymous, options());
    expect(access).toMatchObject({
      admin: false,
      status: 401,
      code: 'unauthenticated',
    });
  });

  it('lets a listed service in without asking the permission policy', async () => {
    const opts = options(AuthorizeResult.DENY);
    const access = await decideAdminAccess(serviceCredentials('ops-bot'), opts);
    expect(access).toEqual({
      admin: true,
      caller: { principal: 'ops-bot', principalType: 'service' },
      matchedBy: { service: 'ops-bot' },
    });
    expect(opts.permissions.authorize).not.toHaveBeenCalled();
  });

  it('compares service subjects exactly', async () => {
    const access = await decideAdminAccess(
      serviceCredentials('OPS-BOT'),
      options(),
    );
    expect(access).toMatchObject({
      admin: false,
      status: 403,
      code: 'not-admin',
    });
  });

  it('never makes an agent principal an admin because it is an agent', async () => {
    const access = await decideAdminAccess(
      serviceCredentials('copilot-svc'),
      options(),
    );
    expect(access).toMatchObject({ admin: false, status: 403 });
    expect(!access.admin && access.message).toBe(
      "Service principal 'copilot-svc' is not an MCP gateway admin. An administrator can list it in mcpGateway.admins.",
    );
  });

  it('lets a listed user in (refs compared case-insensitively) when the policy allows mcp-gateway.admin', async () => {
    const opts = options();
    const credentials = userCredentials('user:default/alice');
    const access = await decideAdminAccess(credentials, opts);
    expect(access).toMatchObject({
      admin: true,
      caller: { principal: 'user:default/alice', user: 'user:default/alice' },
      matchedBy: { user: 'user:default/Alice' },
    });
    expect(opts.permissions.authorize).toHaveBeenCalledWith(
      [{ permission: adminPermission }],
      { credentials },
    );
    // A direct listing needs no group lookup.
    expect(opts.getUserInfo).not.toHaveBeenCalled();
  });

  it('lets a member of a listed group in (refs compared case-insensitively)', async () => {
    const access = await decideAdminAccess(
      userCredentials('user:default/bob'),
      options(),
    );
    expect(access).toMatchObject({
      admin: true,
      matchedBy: { group: 'group:default/SRE' },
    });
  });

  it('refuses a listed user the permission policy denies, naming the permission', async () => {
    const access = await decideAdminAccess(
      userCredentials('user:default/alice'),
      options(AuthorizeResult.DENY),
    );
    expect(access).toMatchObject({
      admin: false,
      status: 403,
      code: 'permission-denied',
    });
    expect(!access.admin && access.message).toContain('mcp-gateway.admin');
  });

  it('refuses a user who is neither listed nor in a listed group, without asking the policy', async () => {
    const opts = options();
    const access = await decideAdminAccess(
      userCredentials('user:default/carol'),
      opts,
    );
    expect(access).toMatchObject({
      admin: false,
      status: 403,
      code: 'not-admin',
    });
    expect(!access.admin && access.message).toContain('mcpGateway.admins');
    expect(opts.permissions.authorize).not.toHaveBeenCalled();
  });

  it("refuses an admin's token carried by a plugin: admin actions need the user's own credentials", async () => {
    const opts = options();
    const access = await decideAdminAccess(
      userCredentials('user:default/alice', 'plugin:ai-chat'),
      opts,
    );
    expect(access).toEqual({
      admin: false,
      status: 403,
      code: 'actor-not-admin',
      message:
        "Admin actions need the user's own credentials: this request came through 'plugin:ai-chat' on behalf of 'user:default/alice'.",
      caller: {
        principal: 'user:default/alice',
        principalType: 'user',
        user: 'user:default/alice',
        actor: 'plugin:ai-chat',
      },
    });
    expect(opts.permissions.authorize).not.toHaveBeenCalled();
  });

  it('fails closed when the permission service fails', async () => {
    const opts = options();
    opts.permissions.authorize.mockRejectedValue(
      new Error('permission backend down'),
    );
    await expect(
      decideAdminAccess(userCredentials('user:default/alice'), opts),
    ).rejects.toThrow('permission backend down');
  });
});
