import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdminApiError } from '../../api/AdminApiError';
import {
  agentDetail,
  auditRecord,
  demoAgents,
  minutesAgo,
} from '../../__testUtils__/fixtures';
import { mockAdminApi } from '../../__testUtils__/mockAdminApi';
import { renderAdminPage } from '../../__testUtils__/renderAdminPage';
import { AgentDetailPage } from './AgentDetailPage';

// react-aria's tables take a while to render in jsdom.
jest.setTimeout(20_000);

const [copilot, onboarding] = demoAgents();

function renderDetail(
  api: ReturnType<typeof mockAdminApi>,
  id = 'incident-copilot',
) {
  return renderAdminPage(
    <AgentDetailPage pollIntervalMs={60_000} chartInitialWidth={640} />,
    {
      api,
      path: `/mcp-gateway/agents/${encodeURIComponent(id)}`,
      mountPath: '/mcp-gateway/agents/:id',
    },
  );
}

function apiFor(detail = agentDetail(copilot)) {
  return mockAdminApi({
    getAgent: async (_id, query) => ({
      ...detail,
      activity: { ...detail.activity, window: query?.window ?? 'day' },
    }),
    queryAudit: async () => ({
      records: [
        auditRecord({
          id: 'r1',
          operation: { kind: 'tool', name: 'list_owners', access: 'read' },
        }),
        auditRecord({
          id: 'r2',
          decision: 'refused',
          reason: 'tool-not-allowed',
          operation: { kind: 'tool', name: 'refresh_entity' },
        }),
      ],
    }),
  });
}

describe('AgentDetailPage', () => {
  it('shows the agent, its state and its policy in words', async () => {
    const api = apiFor();
    renderDetail(api);

    expect(
      await screen.findByRole('heading', { name: 'incident-copilot' }),
    ).toBeInTheDocument();
    expect(api.getAgent).toHaveBeenCalledWith(
      'incident-copilot',
      { window: 'day' },
      expect.anything(),
    );
    expect(screen.getByText(/On-call assistant/)).toBeInTheDocument();
    expect(screen.getByText('Active')).toBeInTheDocument();
    expect(screen.getByText('service: incident-copilot')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Disable incident-copilot' }),
    ).toBeInTheDocument();

    const policy = within(screen.getByRole('region', { name: 'Policy' }));
    expect(policy.getByText('It may call every tool.')).toBeInTheDocument();
    expect(
      policy.getByText(
        'It is read-only: it may call no tool that writes, whatever its tools allow.',
      ),
    ).toBeInTheDocument();
    expect(policy.getByText('120 requests per minute.')).toBeInTheDocument();
    expect(
      policy.getByText('It may use these MCP resources: entity and techdocs.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'As app-config writes it, at mcpGateway.agents[incident-copilot].',
      ),
    ).toBeInTheDocument();
  });

  it("words another agent's listed tools, exclusions and redaction", async () => {
    renderDetail(apiFor(agentDetail(onboarding)), 'onboarding-bot');

    const policy = within(
      await screen.findByRole('region', { name: 'Policy' }),
    );
    expect(
      policy.getByText(
        'It may call these tools: search_catalog, get_entity and get_techdocs.',
      ),
    ).toBeInTheDocument();
    expect(
      policy.getByText(
        'It may see entities of every kind in every namespace, except entities tagged restricted.',
      ),
    ).toBeInTheDocument();
    expect(
      policy.getByText(
        'This field is removed from every entity it reads: spec.profile.email.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Disabled')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Enable onboarding-bot' }),
    ).toBeInTheDocument();
  });

  it('charts calls, refusals and errors, and switches the window', async () => {
    const user = userEvent.setup();
    const api = apiFor();
    const { container } = renderDetail(api);

    const chart = await screen.findByRole('figure', {
      name: 'Calls, refusals and errors over the last day',
    });
    // 24 hourly buckets: calls 10..33, refusals 2 every 5th hour, one error.
    expect(
      within(chart).getByText(
        `${(516).toLocaleString()} calls, 10 refusals and 1 error over the last day.`,
      ),
    ).toBeInTheDocument();
    expect(container.querySelector('.recharts-surface')).toBeInTheDocument();
    expect(container.querySelectorAll('.recharts-bar-rectangle').length).toBe(
      24,
    );

    await user.click(screen.getByRole('radio', { name: 'Week' }));

    await waitFor(() =>
      expect(api.getAgent).toHaveBeenLastCalledWith(
        'incident-copilot',
        { window: 'week' },
        expect.anything(),
      ),
    );
    expect(
      await screen.findByRole('figure', {
        name: 'Calls, refusals and errors over the last week',
      }),
    ).toBeInTheDocument();
  });

  it('groups refusals by reason, each linking to its audit records', async () => {
    renderDetail(apiFor());

    const link = await screen.findByRole('link', { name: 'tool-not-allowed' });
    expect(link).toHaveAttribute(
      'href',
      '/mcp-gateway/audit?agent=incident-copilot&reason=tool-not-allowed',
    );
    const row = within(link.closest('[role="row"]') as HTMLElement);
    expect(row.getByText('policy')).toBeInTheDocument();
    expect(row.getByText('9')).toBeInTheDocument();
    expect(row.getByText('5 min ago')).toBeInTheDocument();
    expect(
      row.getByText('incident-copilot may not call refresh_entity.'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'rate-limited' }),
    ).toBeInTheDocument();
  });

  it('says when there were no refusals', async () => {
    renderDetail(apiFor(agentDetail(copilot, { refusals: [] })));

    expect(
      await screen.findByText('No refusals over the last day.'),
    ).toBeInTheDocument();
  });

  it("lists the agent's recent calls, linking to all of them", async () => {
    const api = apiFor();
    renderDetail(api);

    expect(await screen.findByText('list_owners')).toBeInTheDocument();
    expect(screen.getByText('refresh_entity')).toBeInTheDocument();
    expect(api.queryAudit).toHaveBeenCalledWith(
      { agent: 'incident-copilot', kind: 'mcp', limit: 20 },
      expect.anything(),
    );
    expect(
      screen.getByRole('link', {
        name: 'All of its records in the audit trail',
      }),
    ).toHaveAttribute('href', '/mcp-gateway/audit?agent=incident-copilot');
  });

  it('says when the agent has no recorded calls yet', async () => {
    const api = apiFor();
    api.queryAudit.mockResolvedValue({ records: [] });
    renderDetail(api);

    expect(
      await screen.findByText('No calls recorded yet.'),
    ).toBeInTheDocument();
  });

  it('disables the agent from its page', async () => {
    const user = userEvent.setup();
    const agent = structuredClone(copilot);
    const api = apiFor(agentDetail(agent));
    api.getAgent.mockImplementation(async () => agentDetail(agent));
    api.disableAgent.mockImplementation(async (id, reason) => {
      agent.state = {
        state: 'disabled',
        reason,
        by: 'user:default/admin',
        changedAt: minutesAgo(0),
      };
      return { id, state: agent.state };
    });
    renderDetail(api);
    await user.click(
      await screen.findByRole('button', { name: 'Disable incident-copilot' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'INC-7',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Disable agent' }),
    );

    expect(
      await screen.findByText('INC-7 (user:default/admin, just now)'),
    ).toBeInTheDocument();
    expect(api.disableAgent).toHaveBeenCalledWith('incident-copilot', 'INC-7');
    expect(
      screen.getByRole('button', { name: 'Enable incident-copilot' }),
    ).toBeInTheDocument();
  });

  it("shows progress, then the server's error for an unknown agent", async () => {
    const user = userEvent.setup();
    let fail: (error: Error) => void = () => {};
    const api = mockAdminApi();
    api.getAgent.mockImplementation(
      () =>
        new Promise((_, reject) => {
          fail = reject;
        }),
    );
    renderDetail(api, 'nobody');

    expect(
      await screen.findByRole('progressbar', { name: 'Loading nobody' }),
    ).toBeInTheDocument();
    fail(new AdminApiError({ status: 404, message: 'No agent nobody.' }));

    expect(
      await screen.findByText('Could not load the agent nobody.'),
    ).toBeInTheDocument();
    expect(screen.getByText('No agent nobody.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(api.getAgent).toHaveBeenCalledTimes(2);
  });
});
