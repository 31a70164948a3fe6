import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Caller } from '../core/caller';
import { Gate } from '../core/gate';
import { Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { operationResourceRefFor } from './operationResource';
import { operationPermissions } from './permissions';

/**
 * The permission framework's say, after the agent policy's: an adopter's
 * PermissionPolicy can veto any operation a user uses through the gateway,
 * and a service token's accessRestrictions can too. Agent policy only ever
 * narrows what this allows.
 */
export class PermissionGate implements Gate {
  readonly stage = 'permission';
  readonly appliesTo = 'both';

  constructor(private readonly permissions: PermissionsService) {}

  async decide(caller: Caller, operations: readonly Operation[]) {
    if (operations.length === 0) return [];
    // One request for a whole listing, not one per operation.
    const decisions = await this.permissions.authorize(
      operations.map(operation => ({
        permission: operationPermissions[operation.kind],
        resourceRef: operationResourceRefFor(caller.agent.id, operation),
      })),
      { credentials: caller.credentials },
    );
    return decisions.map((decision, i) => {
      if (decision.result === AuthorizeResult.ALLOW) return undefined;
      const { kind, name } = operations[i];
      return new GatewayRefusal(
        this.stage,
        'permission-denied',
        `Backstage's permission framework denied ${operationPermissions[kind].name} for ${kind} '${name}' to agent '${caller.agent.id}' (principal '${caller.principal}').`,
      );
    });
  }
}
