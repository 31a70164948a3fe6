import {
  AgentsOverview,
  KillSwitchView,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { overview } from './fixtures';
import { mockAdminApi } from './mockAdminApi';

/**
 * The admin API over an in-memory gateway: what an action changes, the next
 * `listAgents` shows, as the real server's would. `state` can be changed by
 * a test directly, as an admin on another replica would.
 */
export function fakeGateway(initial: AgentsOverview = overview()) {
  const state = structuredClone(initial);
  const api = mockAdminApi({
    listAgents: async () => structuredClone(state),
    disableAgent: async (id, reason) => {
      const agent = state.agents.find(a => a.id === id)!;
      agent.state = {
        state: 'disabled',
        reason,
        by: 'user:default/admin',
        changedAt: new Date().toISOString(),
      };
      return { id, state: structuredClone(agent.state) };
    },
    enableAgent: async (id, reason) => {
      const agent = state.agents.find(a => a.id === id)!;
      agent.state = {
        state: 'running',
        ...(reason && { reason }),
        by: 'user:default/admin',
        changedAt: new Date().toISOString(),
      };
      return { id, state: structuredClone(agent.state) };
    },
    setKillSwitch: async ({ engaged, reason }) => {
      const killSwitch: KillSwitchView = {
        engaged,
        ...(engaged && { source: 'runtime' as const }),
        ...(reason && { reason }),
        by: 'user:default/admin',
        changedAt: new Date().toISOString(),
      };
      state.killSwitch = killSwitch;
      for (const agent of state.agents) {
        if (engaged && agent.state.state === 'running') {
          agent.state = { state: 'stopped', reason, by: 'user:default/admin' };
        } else if (!engaged && agent.state.state === 'stopped') {
          agent.state = { state: 'running' };
        }
      }
      return structuredClone(killSwitch);
    },
  });
  return { api, state };
}
