import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { KillSwitchView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { AdminApiError } from '../../api/AdminApiError';
import { minutesAgo } from '../../__testUtils__/fixtures';
import { mockAdminApi } from '../../__testUtils__/mockAdminApi';
import { renderAdminPage } from '../../__testUtils__/renderAdminPage';
import { KillSwitchCard } from './KillSwitchCard';

function renderCard(killSwitch: KillSwitchView, api = mockAdminApi()) {
  const onChanged = jest.fn();
  renderAdminPage(
    <KillSwitchCard killSwitch={killSwitch} onChanged={onChanged} />,
    { api },
  );
  return { api, onChanged };
}

describe('KillSwitchCard', () => {
  it('shows a released switch, and who last released it', () => {
    renderCard({
      engaged: false,
      by: 'user:default/carol',
      changedAt: minutesAgo(5),
      reason: 'INC-8 over',
    });

    expect(screen.getByText('Released')).toBeInTheDocument();
    expect(
      screen.getByText(/Last released by user:default\/carol/),
    ).toHaveTextContent(
      'Agents are served under their policies. Last released by user:default/carol, 5 min ago: INC-8 over.',
    );
  });

  it('shows an engaged switch: why, by whom, when', () => {
    renderCard({
      engaged: true,
      source: 'runtime',
      reason: 'Agents writing to the catalog',
      by: 'user:default/carol',
      changedAt: minutesAgo(90),
    });

    expect(
      screen.getByText(
        "Kill switch engaged: the gateway refuses every agent's calls.",
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Reason: Agents writing to the catalog. Engaged by user:default/carol, 1 h ago.',
      ),
    ).toBeInTheDocument();
  });

  it('engages only with the exact phrase and a reason', async () => {
    const user = userEvent.setup();
    const engaged: KillSwitchView = {
      engaged: true,
      source: 'runtime',
      reason: 'INC-9',
      by: 'user:default/admin',
    };
    const { api, onChanged } = renderCard(
      { engaged: false },
      mockAdminApi({ setKillSwitch: async () => engaged }),
    );

    await user.click(screen.getByRole('button', { name: 'Stop all agents…' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Stop all agents',
    });
    const phrase = within(dialog).getByRole('textbox', {
      name: 'Type "stop all agents" to confirm',
    });
    const reason = within(dialog).getByRole('textbox', { name: /Reason/ });
    const submit = within(dialog).getByRole('button', {
      name: 'Stop all agents',
    });
    expect(phrase).toHaveFocus();
    expect(submit).toBeDisabled();

    await user.type(reason, 'INC-9');
    expect(submit).toBeDisabled();
    await user.type(phrase, 'Stop All Agents');
    expect(submit).toBeDisabled();
    await user.clear(phrase);
    await user.type(phrase, 'stop all agents');
    expect(submit).toBeEnabled();
    await user.clear(reason);
    expect(submit).toBeDisabled();
    await user.type(reason, 'INC-9');

    await user.click(submit);

    await waitFor(() => expect(onChanged).toHaveBeenCalledWith(engaged));
    expect(api.setKillSwitch).toHaveBeenCalledWith({
      engaged: true,
      reason: 'INC-9',
    });
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('releases after a confirmation, the reason optional', async () => {
    const user = userEvent.setup();
    const { api, onChanged } = renderCard(
      { engaged: true, source: 'runtime', reason: 'INC-9' },
      mockAdminApi({ setKillSwitch: async () => ({ engaged: false }) }),
    );

    await user.click(screen.getByRole('button', { name: 'Release…' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Release the kill switch',
    });
    expect(
      within(dialog).getByRole('textbox', { name: /Reason/ }),
    ).toHaveFocus();
    await user.click(
      within(dialog).getByRole('button', { name: 'Release kill switch' }),
    );

    await waitFor(() =>
      expect(onChanged).toHaveBeenCalledWith({ engaged: false }),
    );
    expect(api.setKillSwitch).toHaveBeenCalledWith({
      engaged: false,
      reason: undefined,
    });
  });

  it("shows the server's 409 when app-config engages the switch", async () => {
    const user = userEvent.setup();
    const api = mockAdminApi();
    api.setKillSwitch.mockRejectedValue(
      new AdminApiError({
        status: 409,
        code: 'engaged-in-config',
        message:
          'mcpGateway.killSwitch is true in app-config; release it there.',
      }),
    );
    const { onChanged } = renderCard(
      { engaged: true, source: 'config', by: 'config' },
      api,
    );
    expect(
      screen.getByText(/Engaged in app-config \(mcpGateway\.killSwitch\)\./),
    ).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Release…' }));
    const dialog = await screen.findByRole('dialog');
    await user.click(
      within(dialog).getByRole('button', { name: 'Release kill switch' }),
    );

    expect(
      await within(dialog).findByText(
        'mcpGateway.killSwitch is true in app-config; release it there.',
      ),
    ).toBeInTheDocument();
    expect(onChanged).not.toHaveBeenCalled();
  });
});
