import {
  BreadcrumbEntry,
  useApi,
  useRouteRef,
  useRouteRefParams,
} from '@backstage/frontend-plugin-api';
import {
  Alert,
  Container,
  Flex,
  Grid,
  Header,
  Text,
  ToggleButton,
  ToggleButtonGroup,
} from '@backstage/ui';
import {
  ACTIVITY_WINDOWS,
  ActivityWindow,
  AgentDetail,
  AgentStateChange,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { useCallback, useState } from 'react';
import { mcpGatewayAdminApiRef } from '../../api/McpGatewayAdminApi';
import { agentRouteRef } from '../../routes';
import { AgentStateButton } from '../AgentState/AgentStateButton';
import { AdminOnly } from '../shared/AdminOnly';
import { ErrorState } from '../shared/ErrorState';
import {
  describePrincipal,
  formatDateTime,
  formatRelative,
} from '../shared/format';
import { LoadingIndicator } from '../shared/LoadingIndicator';
import { SectionCard } from '../shared/SectionCard';
import { describeState } from '../shared/agentState';
import { StateBadge } from '../shared/StateBadge';
import { DEFAULT_POLL_INTERVAL_MS, useAdminRead } from '../shared/useAdminRead';
import { ActivityChart } from './ActivityChart';
import { PolicyCard } from './PolicyCard';
import { RecentCalls } from './RecentCalls';
import { RefusalsTable } from './RefusalsTable';

const WINDOW_BUTTONS: Record<ActivityWindow, string> = {
  hour: 'Hour',
  day: 'Day',
  week: 'Week',
};

export interface AgentDetailPageProps {
  /** How often the agent and its recent calls are read again (ms); 3 s by default. */
  pollIntervalMs?: number;
  /** The chart's width until it can measure its container (and in tests). */
  chartInitialWidth?: number;
}

/**
 * One agent (`/mcp-gateway/agents/:id`): its state and the button to change
 * it, its policy in words, its activity over a window, its refusals by
 * reason and its newest calls.
 */
export function AgentDetailPage(props: AgentDetailPageProps) {
  const { id } = useRouteRefParams(agentRouteRef);
  const agentLink = useRouteRef(agentRouteRef);
  return (
    <BreadcrumbEntry entry={{ label: id, href: agentLink?.({ id }) ?? '' }}>
      <Container my="4">
        <AdminOnly>
          {/* Keyed: another agent starts from scratch, not from this one's answers. */}
          <AgentDetailView key={id} id={id} {...props} />
        </AdminOnly>
      </Container>
    </BreadcrumbEntry>
  );
}

function AgentDetailView(props: AgentDetailPageProps & { id: string }) {
  const { id, chartInitialWidth } = props;
  const pollIntervalMs = props.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  const api = useApi(mcpGatewayAdminApiRef);
  const [activityWindow, setActivityWindow] = useState<ActivityWindow>('day');
  const detail = useAdminRead<AgentDetail>(
    signal => api.getAgent(id, { window: activityWindow }, { signal }),
    { key: activityWindow, pollIntervalMs },
  );
  const { update, refresh } = detail;

  const onChanged = useCallback(
    (change: AgentStateChange) => {
      update(
        current =>
          current && {
            ...current,
            agent: { ...current.agent, state: change.state },
          },
      );
      refresh();
    },
    [update, refresh],
  );

  if (!detail.value) {
    if (detail.error && !detail.loading) {
      return (
        <ErrorState
          title={`Could not load the agent ${id}.`}
          error={detail.error}
          onRetry={refresh}
        />
      );
    }
    return <LoadingIndicator label={`Loading ${id}`} rows={6} />;
  }

  const { agent, killSwitch, activity, refusals } = detail.value;
  const why = describeState(agent.state, iso => formatRelative(iso));

  return (
    <Flex direction="column" gap="4">
      <Header
        title={agent.id}
        description={agent.description}
        customActions={
          <AgentStateButton agent={agent} onChanged={onChanged} size="medium" />
        }
        metadata={[
          {
            label: 'State',
            value: (
              <Flex align="center" gap="2">
                <StateBadge state={agent.state.state} />
                {why && (
                  <Text variant="body-small" color="secondary">
                    {why}
                  </Text>
                )}
              </Flex>
            ),
          },
          {
            label: 'Principals',
            value: agent.principals.map(describePrincipal).join(', ') || '—',
          },
          {
            label: 'Last call',
            value: agent.lastCallAt ? (
              <time
                dateTime={agent.lastCallAt}
                title={formatDateTime(agent.lastCallAt)}
              >
                {formatRelative(agent.lastCallAt)}
              </time>
            ) : (
              'Never'
            ),
          },
        ]}
      />

      {killSwitch.engaged && (
        <Alert
          status="danger"
          icon
          title="The kill switch is engaged: the gateway refuses this agent's calls, like every agent's."
          description={killSwitch.reason}
        />
      )}
      {detail.error && (
        <ErrorState
          title="Could not refresh the agent; showing the last answer."
          error={detail.error}
          onRetry={refresh}
        />
      )}

      <SectionCard
        title="Activity"
        actions={
          <ToggleButtonGroup
            aria-label="Activity window"
            selectionMode="single"
            disallowEmptySelection
            selectedKeys={[activityWindow]}
            onSelectionChange={keys => {
              const [next] = [...keys];
              if (next) setActivityWindow(next as ActivityWindow);
            }}
          >
            {ACTIVITY_WINDOWS.map(w => (
              <ToggleButton key={w} id={w} size="small">
                {WINDOW_BUTTONS[w]}
              </ToggleButton>
            ))}
          </ToggleButtonGroup>
        }
      >
        <div
          aria-busy={detail.loading}
          style={{ opacity: detail.loading ? 0.6 : 1 }}
        >
          <ActivityChart activity={activity} initialWidth={chartInitialWidth} />
        </div>
      </SectionCard>

      <Grid.Root columns={{ initial: '1', lg: '2' }} gap="4">
        <PolicyCard agent={agent} />
        <SectionCard title="Refusals by reason">
          <RefusalsTable
            agentId={agent.id}
            window={activity.window}
            refusals={refusals}
          />
        </SectionCard>
      </Grid.Root>

      <SectionCard title="Recent calls">
        <RecentCalls agentId={agent.id} pollIntervalMs={pollIntervalMs} />
      </SectionCard>
    </Flex>
  );
}
