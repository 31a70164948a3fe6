import { AgentConfig } from '../config/gatewayConfig';
import { Caller } from '../core/caller';
import { Gate } from '../core/gate';
import { Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { adminText } from './adminText';
import { ControlVerdict } from './controlVerdict';

const STAGE = 'control';

/**
 * The control stage: an agent switched off (in config or at run time), or a
 * stopped gateway, lists and calls nothing. So does every agent while the
 * switches cannot be read (fail closed).
 */
export class ControlGate implements Gate {
  readonly stage = STAGE;
  readonly appliesTo = 'both';

  constructor(
    private readonly state: { verdict(agent: AgentConfig): ControlVerdict },
  ) {}

  async decide({ agent }: Caller, operations: readonly Operation[]) {
    const refusal = refusalFor(this.state.verdict(agent), agent);
    return operations.map(() => refusal);
  }
}

/** The refusal a verdict means for this agent, or undefined when it runs. */
export function refusalFor(
  verdict: ControlVerdict,
  agent: Pick<AgentConfig, 'id' | 'configKey'>,
): GatewayRefusal | undefined {
  if (verdict.state === 'running') return undefined;
  if (verdict.state === 'gateway-stopped') {
    const where =
      verdict.by === 'config'
        ? 'mcpGateway.killSwitch: true'
        : `engaged by ${adminText(verdict.by)} at run time`;
    return new GatewayRefusal(
      STAGE,
      'gateway-stopped',
      `The MCP gateway is stopped by its kill switch${because(
        verdict.reason,
      )} (${where}).`,
    );
  }
  if (verdict.state === 'agent-disabled') {
    return new GatewayRefusal(
      STAGE,
      'agent-disabled',
      verdict.by === 'config'
        ? `Agent '${agent.id}' is disabled (${agent.configKey}.enabled: false).`
        : `Agent '${agent.id}' was disabled by ${adminText(
            verdict.by,
          )}${because(verdict.reason)}.`,
    );
  }
  return new GatewayRefusal(
    STAGE,
    'control-unavailable',
    'The gateway cannot read its kill switch state, so it refuses every call until it can (fail closed). Try again shortly.',
  );
}

/** `: <reason>`, or nothing when there is no reason worth showing. */
function because(reason: string | undefined): string {
  // The message ends with its own full stop.
  const text =
    reason === undefined ? '' : adminText(reason).replace(/\.+$/, '');
  return text ? `: ${text}` : '';
}
