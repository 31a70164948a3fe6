import { screen, waitFor } from '@testing-library/react';
import { adminPermission } from '@mcp-gateway/plugin-mcp-gateway-common';
import { mockAdminApi } from '../../__testUtils__/mockAdminApi';
import { DENY, renderAdminPage } from '../../__testUtils__/renderAdminPage';
import { AgentDetailPage } from '../AgentDetailPage/AgentDetailPage';
import { AgentsPage } from '../AgentsPage/AgentsPage';
import { AuditPage } from '../AuditPage/AuditPage';

// usePermission caches answers per permission for the whole test file (it
// uses SWR): the pending answer is tested first, and only refusals follow.
// Allowed admins are every other test file.

const MESSAGE =
  'You need the mcp-gateway.admin permission to administer the MCP gateway.';

describe('AdminOnly', () => {
  it('shows progress while the permission is checked, then the refusal', async () => {
    let answer: (result: { result: typeof DENY }) => void = () => {};
    const authorize = jest.fn(
      () =>
        new Promise<{ result: typeof DENY }>(resolve => {
          answer = resolve;
        }),
    );
    const api = mockAdminApi();
    renderAdminPage(<AgentsPage />, {
      api,
      permissionApi: { authorize },
    });

    expect(
      await screen.findByRole('progressbar', {
        name: 'Checking your permissions',
      }),
    ).toBeInTheDocument();
    expect(authorize).toHaveBeenCalledWith({ permission: adminPermission });

    answer({ result: DENY });
    expect(await screen.findByText(MESSAGE)).toBeInTheDocument();
    expect(api.listAgents).not.toHaveBeenCalled();
  });

  it('keeps non-admins off the agents page without calling the admin API', async () => {
    const api = mockAdminApi();
    renderAdminPage(<AgentsPage />, { api, permission: DENY });

    expect(await screen.findByText(MESSAGE)).toBeInTheDocument();
    expect(
      screen.getByText(/Ask whoever runs your Backstage permission policy/),
    ).toBeInTheDocument();
    await waitFor(() => expect(api.listAgents).not.toHaveBeenCalled());
  });

  it("keeps non-admins off an agent's page", async () => {
    const api = mockAdminApi();
    renderAdminPage(<AgentDetailPage />, {
      api,
      permission: DENY,
      path: '/mcp-gateway/agents/incident-copilot',
      mountPath: '/mcp-gateway/agents/:id',
    });

    expect(await screen.findByText(MESSAGE)).toBeInTheDocument();
    expect(api.getAgent).not.toHaveBeenCalled();
    expect(api.queryAudit).not.toHaveBeenCalled();
  });

  it('keeps non-admins off the audit page', async () => {
    const api = mockAdminApi();
    renderAdminPage(<AuditPage />, {
      api,
      permission: DENY,
      path: '/mcp-gateway/audit?agent=x',
    });

    expect(await screen.findByText(MESSAGE)).toBeInTheDocument();
    expect(api.queryAudit).not.toHaveBeenCalled();
    expect(api.exportAudit).not.toHaveBeenCalled();
  });
});
