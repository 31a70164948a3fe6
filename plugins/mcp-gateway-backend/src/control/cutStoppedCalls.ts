import { AgentConfig } from '../config/gatewayConfig';
import { refusalFor } from './controlGate';
import { ControlState } from './controlState';
import { InFlightCalls } from './inFlightCalls';

/**
 * Cuts the calls in flight of every agent the kill switch stops, with the
 * message its next call would be refused with. Returns the unsubscriber.
 */
export function cutStoppedCalls(
  state: ControlState,
  calls: InFlightCalls,
  agents: readonly AgentConfig[],
): () => void {
  const messageFor = (agent: AgentConfig) =>
    refusalFor(state.verdict(agent), agent)?.message;
  return state.onChange(({ stoppedAgents, gatewayStopped }) => {
    if (gatewayStopped) {
      const message = agents.length ? messageFor(agents[0]) : undefined;
      calls.abortAll(message ?? 'The MCP gateway was stopped by its kill switch.');
      return;
    }
    for (const agent of agents) {
      if (!stoppedAgents.includes(agent.id)) continue;
      calls.abortAgent(
        agent.id,
        messageFor(agent) ?? `Agent '${agent.id}' was disabled.`,
      );
    }
  });
}
