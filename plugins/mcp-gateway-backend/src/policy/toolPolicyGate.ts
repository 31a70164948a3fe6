import { Gate, ToolCall } from '../corridor/gate';
import { GatewayRefusal } from '../corridor/refusal';
import { decideTool } from './toolPolicy';

/** The policy stage: is this agent allowed this tool at all? */
export class ToolPolicyGate implements Gate {
  readonly stage = 'policy';

  async check({ caller, tool }: ToolCall): Promise<void> {
    const decision = decideTool(caller.agent, tool);
    if (!decision.allowed) {
      throw new GatewayRefusal(
        this.stage,
        `Agent '${caller.agent.id}' may not call tool '${tool.name}' (refused by ${decision.rule}).`,
      );
    }
  }
}
