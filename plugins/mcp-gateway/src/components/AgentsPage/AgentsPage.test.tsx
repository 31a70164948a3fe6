import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { AdminApiError } from '../../api/AdminApiError';
import { overview } from '../../__testUtils__/fixtures';
import { fakeGateway } from '../../__testUtils__/fakeGateway';
import { mockAdminApi } from '../../__testUtils__/mockAdminApi';
import { renderAdminPage } from '../../__testUtils__/renderAdminPage';
import {
  CELL_NEEDS,
  columnWidths,
  layTablesOutAt,
  TABLE_WIDTH_AT_1400,
} from '../../__testUtils__/tableLayout';
import { AgentsPage } from './AgentsPage';

function rowOf(id: string) {
  const link = screen.getByRole('link', { name: id });
  return link.closest('[role="row"]') as HTMLElement;
}

/** The agent ids in the order the table shows them. */
function agentOrder() {
  return screen
    .getAllByRole('row')
    .slice(1)
    .map(row => within(row).getByRole('link').textContent);
}

// react-aria's tables take a while to render in jsdom.
jest.setTimeout(20_000);

describe('AgentsPage', () => {
  it('lists every agent with its principals, state and counts', async () => {
    const api = mockAdminApi({ listAgents: async () => overview() });
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });

    expect(
      await screen.findByRole('link', { name: 'incident-copilot' }),
    ).toHaveAttribute('href', '/mcp-gateway/agents/incident-copilot');
    expect(screen.getAllByRole('row')).toHaveLength(6);

    const copilot = within(rowOf('incident-copilot'));
    expect(
      copilot.getByText(/On-call assistant. Finds owners/),
    ).toBeInTheDocument();
    const [principal] = within(
      copilot.getByRole('list', { name: 'Principals of incident-copilot' }),
    ).getAllByRole('listitem');
    expect(principal).toHaveTextContent(/^incident-copilotservice$/);
    expect(principal).toHaveAttribute('title', 'service: incident-copilot');
    expect(copilot.getByText('Active')).toBeInTheDocument();
    expect(copilot.getByText('42')).toBeInTheDocument();
    expect(copilot.getByText('3')).toBeInTheDocument();
    expect(copilot.getByText((1280).toLocaleString())).toBeInTheDocument();
    expect(copilot.getByText('17')).toBeInTheDocument();

    const onboarding = within(rowOf('onboarding-bot'));
    expect(onboarding.getByText('Disabled')).toBeInTheDocument();
    expect(
      onboarding.getByText(
        /Answering with stale owners \(INC-2211\) \(user:default\/carol, \d+ (min|h|days?) ago\)/,
      ),
    ).toBeInTheDocument();

    const automation = within(rowOf('platform-automation'));
    expect(
      automation.getByText(
        'mcpGateway.agents[platform-automation].enabled is false in app-config',
      ),
    ).toBeInTheDocument();
    expect(automation.getByText('Never')).toBeInTheDocument();

    expect(screen.getByText('5 agents')).toBeInTheDocument();
    expect(api.listAgents).toHaveBeenCalledTimes(1);
  });

  it('shows each principal whole, its kind under it, and two lines of description', async () => {
    const [copilot, ...others] = overview().agents;
    const api = mockAdminApi({
      listAgents: async () =>
        overview({
          agents: [
            {
              ...copilot,
              principals: [
                { actor: 'plugin:portal' },
                { group: 'group:default/platform' },
              ],
            },
            ...others,
          ],
        }),
    });
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
    await screen.findByRole('link', { name: 'incident-copilot' });

    const row = within(rowOf('incident-copilot'));
    const principals = within(
      row.getByRole('list', { name: 'Principals of incident-copilot' }),
    ).getAllByRole('listitem');
    expect(principals.map(item => item.getAttribute('title'))).toEqual([
      'actor: plugin:portal',
      'group: group:default/platform',
    ]);
    const [actor, group] = principals;
    expect(within(actor).getByText('plugin:portal')).toBeInTheDocument();
    expect(within(actor).getByText('actor')).toBeInTheDocument();
    // An entity ref may wrap after its ':' and '/', not inside a word.
    expect(within(group).getByText(/^group:/)).toContainHTML(
      'group:<wbr>default/<wbr>platform',
    );
    expect(within(group).getByText('group')).toBeInTheDocument();

    // Wrapping, not cut to one line; whole on hover when two lines are not enough.
    const description = row.getByText(/^On-call assistant\./);
    expect(description).not.toHaveAttribute('data-truncate');
    expect(description).toHaveAttribute('title', copilot.description);
  });

  it('gives the agent and its principals room at 1400 px, the counts less', async () => {
    const restore = layTablesOutAt(TABLE_WIDTH_AT_1400);
    try {
      const api = mockAdminApi({ listAgents: async () => overview() });
      renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
      await screen.findByRole('link', { name: 'incident-copilot' });

      const widths = columnWidths();
      expect(widths.Agent).toBeGreaterThanOrEqual(200);
      expect(widths.Principals).toBeGreaterThanOrEqual(CELL_NEEDS.principal);
      for (const count of ['Calls 1h', 'Calls 24h']) {
        expect(widths[count]).toBeLessThanOrEqual(80);
      }
      for (const count of ['Refusals 1h', 'Refusals 24h']) {
        expect(widths[count]).toBeLessThanOrEqual(104);
      }
      const total = Object.values(widths).reduce((a, b) => a + b, 0);
      expect(total).toBeLessThanOrEqual(TABLE_WIDTH_AT_1400);
    } finally {
      restore();
    }
  });

  it('filters by text over id, description and principals, and by state', async () => {
    const user = userEvent.setup();
    const api = mockAdminApi({ listAgents: async () => overview() });
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
    await screen.findByRole('link', { name: 'incident-copilot' });

    const filter = screen.getByRole('searchbox', { name: 'Filter agents' });
    await user.click(filter);
    await user.paste('HYGIENE');
    expect(agentOrder()).toEqual(['catalog-hygiene']);
    expect(screen.getByText('1 of 5 agents')).toBeInTheDocument();

    await user.clear(filter);
    await user.paste('group:default/platform');
    expect(agentOrder()).toEqual(['default']);

    await user.clear(filter);
    await user.click(screen.getByRole('button', { name: /State/ }));
    await user.click(screen.getByRole('option', { name: 'Disabled' }));
    expect(agentOrder()).toEqual(['onboarding-bot', 'platform-automation']);

    await user.click(filter);
    await user.paste('copilot');
    expect(screen.getAllByRole('row')).toHaveLength(2);
    expect(
      screen.getByText('No agents match these filters.'),
    ).toBeInTheDocument();
  });

  it('sorts by a column, both ways', async () => {
    const user = userEvent.setup();
    const api = mockAdminApi({ listAgents: async () => overview() });
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
    await screen.findByRole('link', { name: 'incident-copilot' });

    const dayCalls = screen.getByRole('columnheader', { name: 'Calls 24h' });
    await user.click(dayCalls);
    expect(agentOrder()).toEqual([
      'platform-automation',
      'default',
      'onboarding-bot',
      'incident-copilot',
      'catalog-hygiene',
    ]);
    expect(dayCalls).toHaveAttribute('aria-sort', 'ascending');

    await user.click(dayCalls);
    expect(agentOrder()[0]).toBe('catalog-hygiene');
    expect(dayCalls).toHaveAttribute('aria-sort', 'descending');

    await user.click(screen.getByRole('columnheader', { name: 'Agent' }));
    expect(agentOrder()).toEqual([
      'catalog-hygiene',
      'default',
      'incident-copilot',
      'onboarding-bot',
      'platform-automation',
    ]);
  });

  it('disables an agent with a reason, and the row says so', async () => {
    const user = userEvent.setup();
    const { api } = fakeGateway();
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
    await screen.findByRole('link', { name: 'incident-copilot' });

    await user.click(
      screen.getByRole('button', { name: 'Disable incident-copilot' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Disable incident-copilot',
    });
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    expect(reason).toHaveFocus();
    const submit = within(dialog).getByRole('button', {
      name: 'Disable agent',
    });
    expect(submit).toBeDisabled();

    await user.type(reason, 'Unexpected writes (INC-1234)');
    await user.click(submit);

    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(api.disableAgent).toHaveBeenCalledWith(
      'incident-copilot',
      'Unexpected writes (INC-1234)',
    );
    const row = within(rowOf('incident-copilot'));
    expect(row.getByText('Disabled')).toBeInTheDocument();
    expect(
      row.getByText(
        'Unexpected writes (INC-1234) (user:default/admin, just now)',
      ),
    ).toBeInTheDocument();
    expect(
      row.getByRole('button', { name: 'Enable incident-copilot' }),
    ).toBeInTheDocument();
    // And the list is read again at once.
    expect(api.listAgents).toHaveBeenCalledTimes(2);
  });

  it("shows the server's refusal in the dialog and keeps it open", async () => {
    const user = userEvent.setup();
    const { api } = fakeGateway();
    api.disableAgent.mockRejectedValue(
      new AdminApiError({
        status: 400,
        name: 'InputError',
        message: 'The reason must not contain control characters.',
      }),
    );
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
    await screen.findByRole('link', { name: 'incident-copilot' });

    await user.click(
      screen.getByRole('button', { name: 'Disable catalog-hygiene' }),
    );
    const dialog = await screen.findByRole('dialog');
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Bad\tthing',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Disable agent' }),
    );

    expect(
      await within(dialog).findByText(
        'The reason must not contain control characters.',
      ),
    ).toBeInTheDocument();
    expect(dialog).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
    expect(
      within(rowOf('catalog-hygiene')).getByText('Active'),
    ).toBeInTheDocument();
  });

  it('enables a disabled agent, the reason optional', async () => {
    const user = userEvent.setup();
    const { api } = fakeGateway();
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
    await screen.findByRole('link', { name: 'onboarding-bot' });

    await user.click(
      screen.getByRole('button', { name: 'Enable onboarding-bot' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Enable onboarding-bot',
    });
    await user.click(
      within(dialog).getByRole('button', { name: 'Enable agent' }),
    );

    await waitFor(() =>
      expect(
        within(rowOf('onboarding-bot')).getByText('Active'),
      ).toBeInTheDocument(),
    );
    expect(api.enableAgent).toHaveBeenCalledWith('onboarding-bot', undefined);
  });

  it('shows the 409 of an agent app-config disables', async () => {
    const user = userEvent.setup();
    const { api } = fakeGateway();
    api.enableAgent.mockRejectedValue(
      new AdminApiError({
        status: 409,
        code: 'disabled-in-config',
        message:
          'app-config disables platform-automation; the admin API cannot enable it.',
      }),
    );
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
    await screen.findByRole('link', { name: 'platform-automation' });

    await user.click(
      screen.getByRole('button', { name: 'Enable platform-automation' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(
      within(dialog).getByText(
        'app-config disables this agent (mcpGateway.agents[platform-automation].enabled); change it there.',
      ),
    ).toBeInTheDocument();
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'Needed',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Enable agent' }),
    );

    expect(
      await within(dialog).findByText(
        'app-config disables platform-automation; the admin API cannot enable it.',
      ),
    ).toBeInTheDocument();
    expect(api.enableAgent).toHaveBeenCalledWith(
      'platform-automation',
      'Needed',
    );
  });

  it('picks up a change made elsewhere by polling', async () => {
    const { api, state } = fakeGateway();
    renderAdminPage(<AgentsPage pollIntervalMs={50} />, { api });
    await screen.findByRole('link', { name: 'onboarding-bot' });
    expect(
      within(rowOf('onboarding-bot')).getByText('Disabled'),
    ).toBeInTheDocument();

    // An admin on another replica enables it.
    state.agents[1].state = { state: 'running' };

    await waitFor(() =>
      expect(
        within(rowOf('onboarding-bot')).getByText('Active'),
      ).toBeInTheDocument(),
    );
    expect(api.listAgents.mock.calls.length).toBeGreaterThan(1);
  });

  it('does not poll while the browser tab is hidden', async () => {
    const { api } = fakeGateway();
    const hidden = jest.spyOn(document, 'hidden', 'get').mockReturnValue(true);
    renderAdminPage(<AgentsPage pollIntervalMs={20} />, { api });
    await screen.findByRole('link', { name: 'onboarding-bot' });

    await new Promise(resolve => setTimeout(resolve, 150));
    expect(api.listAgents).toHaveBeenCalledTimes(1);

    hidden.mockReturnValue(false);
    document.dispatchEvent(new Event('visibilitychange'));
    await waitFor(() => expect(api.listAgents).toHaveBeenCalledTimes(2));
    hidden.mockRestore();
  });

  it('shows progress while loading', async () => {
    const api = mockAdminApi({ listAgents: () => new Promise(() => {}) });
    renderAdminPage(<AgentsPage />, { api });

    expect(
      await screen.findByRole('progressbar', { name: 'Loading agents' }),
    ).toBeInTheDocument();
  });

  it('says when no agent is configured', async () => {
    const api = mockAdminApi({
      listAgents: async () => overview({ agents: [] }),
    });
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });

    expect(
      await screen.findByText(
        'No agents are configured: add them under mcpGateway.agents in app-config.',
      ),
    ).toBeInTheDocument();
  });

  it('shows an error with a Retry that loads again', async () => {
    const user = userEvent.setup();
    const api = mockAdminApi();
    api.listAgents
      .mockRejectedValueOnce(
        new AdminApiError({
          status: 503,
          message: 'The audit store is unavailable.',
        }),
      )
      .mockResolvedValue(overview());
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });

    expect(
      await screen.findByText('Could not load the agents.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('The audit store is unavailable.'),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(
      await screen.findByRole('link', { name: 'incident-copilot' }),
    ).toBeInTheDocument();
  });

  it('keeps the last answer when a poll fails, and says so', async () => {
    const api = mockAdminApi();
    api.listAgents
      .mockResolvedValueOnce(overview())
      .mockRejectedValue(new Error('Failed to fetch'));
    renderAdminPage(<AgentsPage pollIntervalMs={20} />, { api });

    expect(
      await screen.findByText(
        'Could not refresh the agents; showing the last answer.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByText('Failed to fetch')).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: 'incident-copilot' }),
    ).toBeInTheDocument();
  });

  it('explains a 403 from the admin API and stops polling', async () => {
    const api = mockAdminApi({
      listAgents: () =>
        Promise.reject(
          new AdminApiError({
            status: 403,
            code: 'not-admin',
            message: 'user:default/bob is not in mcpGateway.admins.',
          }),
        ),
    });
    renderAdminPage(<AgentsPage pollIntervalMs={20} />, { api });

    expect(
      await screen.findByText(
        'The MCP gateway does not let you administer it.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/user:default\/bob is not in mcpGateway\.admins\./),
    ).toBeInTheDocument();
    await new Promise(resolve => setTimeout(resolve, 100));
    expect(api.listAgents).toHaveBeenCalledTimes(1);
  });

  it('engages the kill switch, and every agent shows the gateway stopped', async () => {
    const user = userEvent.setup();
    const { api } = fakeGateway();
    renderAdminPage(<AgentsPage pollIntervalMs={60_000} />, { api });
    await screen.findByRole('link', { name: 'incident-copilot' });

    await user.click(screen.getByRole('button', { name: 'Stop all agents…' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Stop all agents',
    });
    await user.type(
      within(dialog).getByRole('textbox', { name: /Type "stop all agents"/ }),
      'stop all agents',
    );
    await user.type(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
      'INC-9',
    );
    await user.click(
      within(dialog).getByRole('button', { name: 'Stop all agents' }),
    );

    expect(
      await screen.findByText(
        "Kill switch engaged: the gateway refuses every agent's calls.",
      ),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        within(rowOf('incident-copilot')).getByText('Gateway stopped'),
      ).toBeInTheDocument(),
    );
    expect(
      within(rowOf('incident-copilot')).getByText(
        'Stopped by the gateway kill switch',
      ),
    ).toBeInTheDocument();
    // Agents disabled one by one stay disabled.
    expect(
      within(rowOf('onboarding-bot')).getByText('Disabled'),
    ).toBeInTheDocument();
    expect(api.setKillSwitch).toHaveBeenCalledWith({
      engaged: true,
      reason: 'INC-9',
    });
  });
});
