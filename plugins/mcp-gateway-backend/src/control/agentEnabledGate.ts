import { Caller } from '../core/caller';
import { Gate } from '../core/gate';
import { Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';

/** The control stage: an agent switched off in config lists and calls nothing. */
export class AgentEnabledGate implements Gate {
  readonly stage = 'control';
  readonly appliesTo = 'both';

  async decide({ agent }: Caller, operations: readonly Operation[]) {
    const refusal = agent.enabled
      ? undefined
      : new GatewayRefusal(
          this.stage,
          'agent-disabled',
          `Agent '${agent.id}' is disabled (${agent.configKey}.enabled: false).`,
        );
    return operations.map(() => refusal);
  }
}
