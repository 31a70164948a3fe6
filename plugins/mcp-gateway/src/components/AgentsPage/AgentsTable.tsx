import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  Button,
  Cell,
  ColumnConfig,
  Flex,
  Link,
  SortDescriptor,
  Table,
  Text,
} from '@backstage/ui';
import {
  AgentStateChange,
  AgentView,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { ReactNode, useMemo, useState } from 'react';
import { agentRouteRef } from '../../routes';
import { actionFor, AgentStateDialog } from '../AgentState/AgentStateDialog';
import {
  describePrincipal,
  formatDateTime,
  formatRelative,
  principalParts,
} from '../shared/format';
import { NumberCell, NumberColumn } from '../shared/NumberCell';
import tableStyles from '../shared/table.module.css';
import { describeState } from '../shared/agentState';
import { StateBadge } from '../shared/StateBadge';
import { AgentFilters } from './AgentFilters';
import {
  AgentSort,
  AgentSortColumn,
  AgentStateFilter,
  filterAgents,
  sortAgents,
} from './agentList';

function numberColumn(
  id: AgentSortColumn,
  label: string,
  value: (agent: AgentView) => number,
  attention?: 'warning',
): ColumnConfig<AgentView> {
  // Room for the label's longest word ("Refusals") and the sort arrow; the
  // rest of the label wraps under it ("Refusals / 24h").
  const width = attention ? 104 : 80;
  return {
    id,
    label,
    isSortable: true,
    width,
    header: () => (
      <NumberColumn id={id} label={label} isSortable width={width} />
    ),
    cell: agent => <NumberCell count={value(agent)} attention={attention} />,
  };
}

/**
 * Every agent with its state and counts: filtered by text (id, description,
 * principals) and state, sortable by most columns, each with its Disable /
 * Enable action. Sized for a 1400 px window with Backstage's sidebar: the
 * description gets two lines, and each principal its own.
 */
export function AgentsTable(props: {
  agents: AgentView[];
  onAgentChanged: (change: AgentStateChange) => void;
}) {
  const { agents, onAgentChanged } = props;
  const agentLink = useRouteRef(agentRouteRef);
  const [text, setText] = useState('');
  const [state, setState] = useState<AgentStateFilter>('all');
  const [sort, setSort] = useState<AgentSort>();
  // One dialog for the table, outside it: a poll re-rendering the rows
  // must not close a dialog someone is typing in.
  const [changing, setChanging] = useState<AgentView>();
  const [dialogOpen, setDialogOpen] = useState(false);

  const rows = useMemo(
    () => sortAgents(filterAgents(agents, { text, state }), sort),
    [agents, text, state, sort],
  );

  const now = Date.now();
  const columns: ColumnConfig<AgentView>[] = [
    {
      id: 'id',
      label: 'Agent',
      isRowHeader: true,
      isSortable: true,
      width: '4fr',
      minWidth: 200,
      cell: agent => (
        <Cell>
          <div className={tableStyles.stacked}>
            <Link
              href={agentLink?.({ id: agent.id })}
              variant="body-medium"
              truncate
              title={agent.id}
            >
              {agent.id}
            </Link>
            {agent.description && (
              // Two lines, then cut; the whole of it on hover.
              <Text
                color="secondary"
                title={agent.description}
                className={tableStyles.twoLines}
              >
                {agent.description}
              </Text>
            )}
          </div>
        </Cell>
      ),
    },
    {
      id: 'principals',
      label: 'Principals',
      width: '2fr',
      minWidth: 190,
      cell: agent => <PrincipalsCell agent={agent} />,
    },
    {
      id: 'state',
      label: 'State',
      isSortable: true,
      width: '3fr',
      minWidth: 150,
      cell: agent => {
        const why = describeState(agent.state, iso => formatRelative(iso, now));
        return (
          <Cell>
            <Flex direction="column" gap="1" align="start">
              <StateBadge state={agent.state.state} />
              {why && (
                <Text
                  variant="body-small"
                  color="secondary"
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {why}
                </Text>
              )}
            </Flex>
          </Cell>
        );
      },
    },
    numberColumn('hourCalls', 'Calls 1h', agent => agent.lastHour.calls),
    numberColumn(
      'hourRefusals',
      'Refusals 1h',
      agent => agent.lastHour.refusals,
      'warning',
    ),
    numberColumn('dayCalls', 'Calls 24h', agent => agent.lastDay.calls),
    numberColumn(
      'dayRefusals',
      'Refusals 24h',
      agent => agent.lastDay.refusals,
      'warning',
    ),
    {
      id: 'lastCall',
      label: 'Last call',
      isSortable: true,
      width: 110,
      cell: agent => (
        <Cell>
          {agent.lastCallAt ? (
            <time
              dateTime={agent.lastCallAt}
              title={formatDateTime(agent.lastCallAt)}
            >
              {formatRelative(agent.lastCallAt, now)}
            </time>
          ) : (
            <Text color="secondary">Never</Text>
          )}
        </Cell>
      ),
    },
    {
      id: 'actions',
      label: 'Actions',
      width: 100,
      cell: agent => {
        const label = actionFor(agent) === 'disable' ? 'Disable' : 'Enable';
        return (
          <Cell>
            <Button
              size="small"
              variant="secondary"
              destructive={label === 'Disable'}
              aria-label={`${label} ${agent.id}`}
              onPress={() => {
                setChanging(agent);
                setDialogOpen(true);
              }}
            >
              {label}
            </Button>
          </Cell>
        );
      },
    },
  ];

  return (
    <Flex direction="column" gap="3">
      <AgentFilters
        text={text}
        onTextChange={setText}
        state={state}
        onStateChange={setState}
        shown={rows.length}
        total={agents.length}
      />
      <Table
        columnConfig={columns}
        data={rows}
        pagination={{ type: 'none' }}
        sort={{
          descriptor: sort ?? null,
          onSortChange: (descriptor: SortDescriptor) =>
            setSort({
              column: descriptor.column as AgentSortColumn,
              direction: descriptor.direction,
            }),
        }}
        emptyState={
          <Text color="secondary">
            {agents.length === 0
              ? 'No agents are configured: add them under mcpGateway.agents in app-config.'
              : 'No agents match these filters.'}
          </Text>
        }
      />
      {changing && (
        <AgentStateDialog
          agent={changing}
          action={actionFor(changing)}
          isOpen={dialogOpen}
          onOpenChange={setDialogOpen}
          onChanged={onAgentChanged}
        />
      )}
    </Flex>
  );
}

/** An entity ref that may wrap after its `:` and `/` (`group:default/platform`) if it must. */
function breakable(ref: string): ReactNode {
  const parts = ref.split(/(?<=[:/])/);
  return parts.flatMap((part, index) =>
    index === 0 ? [part] : [<wbr key={index} />, part],
  );
}

/** Each principal on its own: what it matches, and its kind under it, small. */
function PrincipalsCell(props: { agent: AgentView }) {
  const { principals, id } = props.agent;
  if (principals.length === 0) {
    return (
      <Cell>
        <Text color="secondary">—</Text>
      </Cell>
    );
  }
  return (
    <Cell>
      <ul aria-label={`Principals of ${id}`} className={tableStyles.list}>
        {principals.map(principal => {
          const { kind, value } = principalParts(principal);
          const described = describePrincipal(principal);
          return (
            <li
              key={described}
              title={described}
              className={tableStyles.stacked}
            >
              <Text className={tableStyles.wrapAnywhere}>
                {breakable(value)}
              </Text>
              <Text variant="body-small" color="secondary">
                {kind}
              </Text>
            </li>
          );
        })}
      </ul>
    </Cell>
  );
}
