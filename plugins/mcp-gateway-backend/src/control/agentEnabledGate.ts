import { Gate, ToolCall } from '../corridor/gate';
import { GatewayRefusal } from '../corridor/refusal';

/** The control stage: an agent switched off in config calls nothing. */
export class AgentEnabledGate implements Gate {
  readonly stage = 'control';

  async check({ caller }: ToolCall): Promise<void> {
    if (!caller.agent.enabled) {
      throw new GatewayRefusal(
        this.stage,
        `Agent '${caller.agent.id}' is disabled (${caller.agent.configKey}.enabled: false).`,
      );
    }
  }
}
