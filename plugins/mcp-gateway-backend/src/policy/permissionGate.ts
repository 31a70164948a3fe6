import { PermissionsService } from '@backstage/backend-plugin-api';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { Gate, ToolCall } from '../corridor/gate';
import { GatewayRefusal } from '../corridor/refusal';
import { Caller } from '../identity/caller';
import { GatewayTool } from '../tools/types';
import { toolInvokePermission } from './permissions';
import { toolResourceRefFor } from './toolResource';

/**
 * The permission framework's say, after the agent policy's: an adopter's
 * PermissionPolicy can veto any call a user makes through the gateway, and
 * a service token's accessRestrictions can too. Agent policy only ever
 * narrows what this allows.
 */
export class PermissionGate implements Gate {
  readonly stage = 'permission';

  constructor(private readonly permissions: PermissionsService) {}

  async check({ caller, tool }: ToolCall): Promise<void> {
    const [allowed] = await this.decide(caller, [tool]);
    if (!allowed) {
      throw new GatewayRefusal(
        this.stage,
        `Backstage's permission framework denied ${toolInvokePermission.name} for tool '${tool.name}' to agent '${caller.agent.id}' (principal '${caller.principal}').`,
      );
    }
  }

  /** Of these tools, the ones the permission framework lets the caller invoke. */
  async permitted(
    caller: Caller,
    tools: GatewayTool[],
  ): Promise<GatewayTool[]> {
    const decisions = await this.decide(caller, tools);
    return tools.filter((_, i) => decisions[i]);
  }

  private async decide(
    caller: Caller,
    tools: GatewayTool[],
  ): Promise<boolean[]> {
    if (tools.length === 0) return [];
    const decisions = await this.permissions.authorize(
      tools.map(tool => ({
        permission: toolInvokePermission,
        resourceRef: toolResourceRefFor(caller.agent.id, tool.name),
      })),
      { credentials: caller.credentials },
    );
    return decisions.map(d => d.result === AuthorizeResult.ALLOW);
  }
}
