import { AgentView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { describePrincipal } from '../shared/format';

export type AgentStateFilter = 'all' | AgentView['state']['state'];

export type AgentSortColumn =
  | 'id'
  | 'state'
  | 'hourCalls'
  | 'hourRefusals'
  | 'dayCalls'
  | 'dayRefusals'
  | 'lastCall';

export interface AgentSort {
  column: AgentSortColumn;
  direction: 'ascending' | 'descending';
}

/** The agents whose id, description or principals contain the text (any case), in the state. */
export function filterAgents(
  agents: readonly AgentView[],
  filter: { text: string; state: AgentStateFilter },
): AgentView[] {
  const text = filter.text.trim().toLocaleLowerCase();
  return agents.filter(agent => {
    if (filter.state !== 'all' && agent.state.state !== filter.state) {
      return false;
    }
    if (!text) return true;
    return [
      agent.id,
      agent.description ?? '',
      ...agent.principals.map(describePrincipal),
    ].some(field => field.toLocaleLowerCase().includes(text));
  });
}

// Problems first when sorting by state ascending.
const STATE_ORDER: Record<AgentView['state']['state'], number> = {
  unavailable: 0,
  stopped: 1,
  disabled: 2,
  running: 3,
};

const SORT_KEYS: Record<
  AgentSortColumn,
  (agent: AgentView) => string | number
> = {
  id: agent => agent.id,
  state: agent => STATE_ORDER[agent.state.state],
  hourCalls: agent => agent.lastHour.calls,
  hourRefusals: agent => agent.lastHour.refusals,
  dayCalls: agent => agent.lastDay.calls,
  dayRefusals: agent => agent.lastDay.refusals,
  // Never called sorts as the oldest.
  lastCall: agent => (agent.lastCallAt ? Date.parse(agent.lastCallAt) : 0),
};

/** A sorted copy; ties keep the server's order (the default agent last). */
export function sortAgents(
  agents: readonly AgentView[],
  sort: AgentSort | undefined,
): AgentView[] {
  if (!sort) return [...agents];
  const key = SORT_KEYS[sort.column];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return agents
    .map((agent, index) => ({ agent, index }))
    .sort((a, b) => {
      const x = key(a.agent);
      const y = key(b.agent);
      const order =
        typeof x === 'string' && typeof y === 'string'
          ? x.localeCompare(y)
          : Number(x) - Number(y);
      return order * sign || a.index - b.index;
    })
    .map(({ agent }) => agent);
}
