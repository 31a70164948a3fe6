import { useApi } from '@backstage/frontend-plugin-api';
import { Alert, Button, Container, Flex, Text } from '@backstage/ui';
import {
  AgentsOverview,
  AgentStateChange,
  KillSwitchView,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { useCallback } from 'react';
import { isNotAdminError } from '../../api/AdminApiError';
import { mcpGatewayAdminApiRef } from '../../api/McpGatewayAdminApi';
import { AdminOnly } from '../shared/AdminOnly';
import { ErrorState } from '../shared/ErrorState';
import { LoadingIndicator } from '../shared/LoadingIndicator';
import { NotAdminMessage } from '../shared/NotAdminMessage';
import { DEFAULT_POLL_INTERVAL_MS, useAdminRead } from '../shared/useAdminRead';
import { AgentsTable } from './AgentsTable';
import { KillSwitchCard } from './KillSwitchCard';

export interface AgentsPageProps {
  /** How often the list is read again (ms); 3 s by default. */
  pollIntervalMs?: number;
}

/** The Agents tab: the kill switch, and every agent with its state and counts, kept current. */
export function AgentsPage(props: AgentsPageProps) {
  return (
    <Container my="4">
      <AdminOnly>
        <AgentsOverviewView {...props} />
      </AdminOnly>
    </Container>
  );
}

function AgentsOverviewView(props: AgentsPageProps) {
  const pollIntervalMs = props.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const api = useApi(mcpGatewayAdminApiRef);
  const overview = useAdminRead<AgentsOverview>(
    signal => api.listAgents({ signal }),
    { pollIntervalMs },
  );
  const { update, refresh } = overview;

  // Show the server's answer at once, then read everything again: the
  // change may have moved other agents too (the kill switch stops them all).
  const onAgentChanged = useCallback(
    (change: AgentStateChange) => {
      update(current =>
        current
          ? {
              ...current,
              agents: current.agents.map(agent =>
                agent.id === change.id
                  ? { ...agent, state: change.state }
                  : agent,
              ),
            }
          : current,
      );
      refresh();
    },
    [update, refresh],
  );
  const onKillSwitchChanged = useCallback(
    (killSwitch: KillSwitchView) => {
      update(current => (current ? { ...current, killSwitch } : current));
      refresh();
    },
    [update, refresh],
  );

  if (!overview.value) {
    if (overview.error && !overview.loading) {
      return (
        <ErrorState
          title="Could not load the agents."
          error={overview.error}
          onRetry={refresh}
        />
      );
    }
    return <LoadingIndicator label="Loading agents" rows={5} />;
  }

  return (
    <Flex direction="column" gap="4">
      {overview.error &&
        (isNotAdminError(overview.error) ? (
          <NotAdminMessage serverMessage={overview.error.message} />
        ) : (
          <Alert
            status="warning"
            icon
            title="Could not refresh the agents; showing the last answer."
            description={overview.error.message}
            customActions={
              <Button size="small" variant="secondary" onPress={refresh}>
                Retry
              </Button>
            }
          />
        ))}
      <KillSwitchCard
        killSwitch={overview.value.killSwitch}
        onChanged={onKillSwitchChanged}
      />
      <AgentsTable
        agents={overview.value.agents}
        onAgentChanged={onAgentChanged}
      />
      <Text variant="body-small" color="secondary">
        {`Refreshed every ${Math.round(pollIntervalMs / 100) / 10} s, so changes made elsewhere show within seconds.`}
      </Text>
    </Flex>
  );
}
