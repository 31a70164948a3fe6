import { Caller } from '../core/caller';
import { Gate } from '../core/gate';
import { Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { decideTool, toolPattern } from './toolPolicy';

/** The policy stage: is this agent allowed this operation at all? */
export class OperationPolicyGate implements Gate {
  readonly stage = 'policy';
  readonly appliesTo = 'both';

  async decide({ agent }: Caller, operations: readonly Operation[]) {
    return operations.map(operation => {
      if (operation.kind === 'tool') {
        const decision = decideTool(agent, operation);
        return decision.allowed
          ? undefined
          : new GatewayRefusal(
              this.stage,
              'tool-not-allowed',
              `Agent '${agent.id}' may not call tool '${operation.name}' (refused by ${decision.rule}).`,
            );
      }
      // Closed by default: resources need resources.allow; prompts may be narrowed.
      const key = operation.kind === 'resource' ? 'resources' : 'prompts';
      const allowed = agent[key].allow.some(pattern =>
        toolPattern(pattern).test(operation.name),
      );
      return allowed
        ? undefined
        : new GatewayRefusal(
            this.stage,
            `${operation.kind}-not-allowed`,
            `Agent '${agent.id}' may not use ${operation.kind} '${operation.name}' (refused by ${agent.configKey}.${key}.allow).`,
          );
    });
  }
}
