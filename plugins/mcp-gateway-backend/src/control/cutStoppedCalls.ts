import { AgentConfig, GatewayConfig } from '../config/gatewayConfig';
import { GatewayConfigListener } from '../config/liveGatewayConfig';
import { refusalFor } from './controlGate';
import { ControlChange } from './controlState';
import { ControlVerdict } from './controlVerdict';
import { InFlightCalls } from './inFlightCalls';

export interface CutStoppedCallsOptions {
  /** The kill switches: their verdicts, and their changes at run time. */
  state: {
    verdict(agent: AgentConfig): ControlVerdict;
    onChange(listener: (change: ControlChange) => void): () => void;
  };
  /** The config in force, and its reloads. */
  config: {
    current(): GatewayConfig;
    onChange(listener: GatewayConfigListener): () => void;
  };
  calls: InFlightCalls;
}

/**
 * Cuts the calls in flight of every agent that is stopped, by an admin at
 * run time or by a config reload (`enabled: false`, `killSwitch: true`, the
 * agent removed), with the message its next call would be refused with.
 * Returns the unsubscriber.
 */
export function cutStoppedCalls({
  state,
  config,
  calls,
}: CutStoppedCallsOptions): () => void {
  const messageFor = (agent: AgentConfig) =>
    refusalFor(state.verdict(agent), agent)?.message;
  const stopGateway = () => {
    const [anyAgent] = config.current().policies;
    calls.abortAll(
      (anyAgent && messageFor(anyAgent)) ??
        'The MCP gateway was stopped by its kill switch.',
    );
  };
  const stopAgent = (agent: AgentConfig) =>
    calls.abortAgent(
      agent.id,
      messageFor(agent) ?? `Agent '${agent.id}' was disabled.`,
    );

  const unsubscribeState = state.onChange(
    ({ stoppedAgents, gatewayStopped }) => {
      if (gatewayStopped) return stopGateway();
      for (const agent of config.current().policies) {
        if (stoppedAgents.includes(agent.id)) stopAgent(agent);
      }
      return undefined;
    },
  );
  const unsubscribeConfig = config.onChange((next, previous) => {
    if (next.killSwitch && !previous.killSwitch) return stopGateway();
    const nextById = new Map(next.policies.map(agent => [agent.id, agent]));
    for (const before of previous.policies) {
      const after = nextById.get(before.id);
      if (!after) {
        calls.abortAgent(
          before.id,
          `Agent '${before.id}' was removed from the MCP gateway configuration (${before.configKey}).`,
        );
      } else if (before.enabled && !after.enabled) {
        stopAgent(after);
      }
    }
    return undefined;
  });
  return () => {
    unsubscribeState();
    unsubscribeConfig();
  };
}
