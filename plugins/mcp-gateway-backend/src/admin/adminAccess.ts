import {
  BackstageCredentials,
  BackstageServicePrincipal,
  BackstageUserPrincipal,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { AdminMatcher } from '../config/gatewayConfig';
import { adminPermission } from '../policy/permissions';

/** Who called the admin API, as its audit records name them. */
export interface AdminCaller {
  /** A user ref or a service subject. */
  principal: string;
  principalType: 'user' | 'service';
  user?: string;
  /** The plugin that called on behalf of `user`, if any. */
  actor?: string;
}

export type AdminAccess =
  | { admin: true; caller: AdminCaller; matchedBy: AdminMatcher }
  | {
      admin: false;
      /** 401 for anonymous callers, 403 for everyone else. */
      status: 401 | 403;
      /** A machine-readable reason, for the audit record. */
      code:
        | 'unauthenticated'
        | 'not-admin'
        | 'actor-not-admin'
        | 'permission-denied';
      message: string;
      caller?: AdminCaller;
    };

export interface AdminAccessOptions {
  admins: AdminMatcher[];
  userInfo: UserInfoService;
  permissions: PermissionsService;
}

/**
 * Is this caller an admin? Only principals listed in `mcpGateway.admins`
 * are (being an agent's principal grants nothing), users also need the
 * `mcp-gateway.admin` permission, and a user's token carried by a plugin
 * (an actor, e.g. Portal's AI chat) is never enough: a model must not
 * switch off agents on a user's behalf.
 */
export async function decideAdminAccess(
  credentials: BackstageCredentials,
  { admins, userInfo, permissions }: AdminAccessOptions,
): Promise<AdminAccess> {
  const caller = adminCallerOf(credentials);
  if (!caller) {
    return {
      admin: false,
      status: 401,
      code: 'unauthenticated',
      message:
        'Missing credentials: the MCP gateway admin API needs a Backstage token, sent as "Authorization: Bearer <token>".',
    };
  }
  const refused = (
    code: 'not-admin' | 'actor-not-admin' | 'permission-denied',
    message: string,
  ) => ({
    admin: false as const,
    status: 403 as const,
    code,
    message,
    caller,
  });

  if (caller.principalType === 'service') {
    const matchedBy = admins.find(
      admin => 'service' in admin && admin.service === caller.principal,
    );
    return matchedBy
      ? { admin: true, caller, matchedBy }
      : refused(
          'not-admin',
          `Service principal '${caller.principal}' is not an MCP gateway admin. An administrator can list it in mcpGateway.admins.`,
        );
  }

  if (caller.actor) {
    return refused(
      'actor-not-admin',
      `Admin actions need the user's own credentials: this request came through '${caller.actor}' on behalf of '${caller.principal}'.`,
    );
  }
  const matchedBy = await listedUser(
    credentials as BackstageCredentials<BackstageUserPrincipal>,
    admins,
    userInfo,
  );
  if (!matchedBy) {
    return refused(
      'not-admin',
      `User '${caller.principal}' is not an MCP gateway admin. An administrator can list the user, or a group of theirs, in mcpGateway.admins.`,
    );
  }
  const [decision] = await permissions.authorize(
    [{ permission: adminPermission }],
    { credentials },
  );
  if (decision?.result !== AuthorizeResult.ALLOW) {
    return refused(
      'permission-denied',
      `User '${caller.principal}' is listed in mcpGateway.admins, but Backstage's permission policy denied them ${adminPermission.name}.`,
    );
  }
  return { admin: true, caller, matchedBy };
}

/** The caller's principal; undefined for anonymous callers. */
export function adminCallerOf(
  credentials: BackstageCredentials,
): AdminCaller | undefined {
  const principal = (
    credentials as BackstageCredentials<
      BackstageUserPrincipal | BackstageServicePrincipal | { type: 'none' }
    >
  ).principal;
  if (principal.type === 'service') {
    return { principal: principal.subject, principalType: 'service' };
  }
  if (principal.type === 'user') {
    return {
      principal: principal.userEntityRef,
      principalType: 'user',
      user: principal.userEntityRef,
      ...(principal.actor && { actor: principal.actor.subject }),
    };
  }
  return undefined;
}

/** The admin entry that lists this user, by ref or through a group (refs compare case-insensitively). */
async function listedUser(
  credentials: BackstageCredentials<BackstageUserPrincipal>,
  admins: AdminMatcher[],
  userInfo: UserInfoService,
): Promise<AdminMatcher | undefined> {
  const user = credentials.principal.userEntityRef.toLowerCase();
  const direct = admins.find(
    admin => 'user' in admin && admin.user.toLowerCase() === user,
  );
  const groups = admins.filter(admin => 'group' in admin);
  if (direct || groups.length === 0) {
    return direct;
  }
  // Only asked when a group could make the difference.
  const { ownershipEntityRefs } = await userInfo.getUserInfo(credentials);
  const memberOf = new Set(ownershipEntityRefs.map(ref => ref.toLowerCase()));
  return groups.find(
    admin => 'group' in admin && memberOf.has(admin.group.toLowerCase()),
  );
}
