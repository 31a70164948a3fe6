import { AGENT_STATES, AgentState } from './agentState';
import { StatusBadge } from './StatusBadge';

/** An agent's state as a colored badge: Active, Disabled, Gateway stopped, Unavailable. */
export function StateBadge(props: { state: AgentState }) {
  return <StatusBadge {...AGENT_STATES[props.state]} />;
}
