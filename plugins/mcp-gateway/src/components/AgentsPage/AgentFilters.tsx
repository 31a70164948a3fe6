import { Flex, SearchField, Select, Text } from '@backstage/ui';
import { AGENT_STATES, AgentState } from '../shared/agentState';
import { AgentStateFilter } from './agentList';

const STATE_OPTIONS: { id: AgentStateFilter; label: string }[] = [
  { id: 'all', label: 'All states' },
  ...(Object.keys(AGENT_STATES) as AgentState[]).map(state => ({
    id: state,
    label: AGENT_STATES[state].label,
  })),
];

/** The agents table's filters (text and state), and how many agents they leave. */
export function AgentFilters(props: {
  text: string;
  onTextChange: (text: string) => void;
  state: AgentStateFilter;
  onStateChange: (state: AgentStateFilter) => void;
  shown: number;
  total: number;
}) {
  const { text, onTextChange, state, onStateChange, shown, total } = props;
  const filtered = text.trim() !== '' || state !== 'all';
  return (
    <Flex align="end" gap="3" justify="between">
      <Flex align="end" gap="3">
        <SearchField
          label="Filter agents"
          placeholder="Filter by id, description or principal"
          value={text}
          onChange={onTextChange}
          style={{ minWidth: 320 }}
        />
        <Select
          label="State"
          options={STATE_OPTIONS}
          value={state}
          onChange={key => onStateChange((key ?? 'all') as AgentStateFilter)}
          style={{ minWidth: 180 }}
        />
      </Flex>
      <Text variant="body-small" color="secondary" aria-live="polite">
        {filtered
          ? `${shown} of ${total} agents`
          : `${total} ${total === 1 ? 'agent' : 'agents'}`}
      </Text>
    </Flex>
  );
}
