import { AgentStateChange } from '@mcp-gateway/plugin-mcp-gateway-common';
import { AgentConfig } from '../config/gatewayConfig';
import { AdminActionDeps, agentOf, bodyFields } from './adminActionDeps';
import { AdminFailure } from './adminFailure';
import {
  disableAgentBody,
  enableAgentBody,
  parseRequest,
} from './adminRequests';
import { AdminAction } from './adminRoute';
import { ControlSwitch } from './adminStores';
import { agentsOverview, agentStateOf } from './agentOverview';

/** `GET agents`: config, run-time state and recent activity of every agent. */
export function listAgents({
  config,
  stores,
}: AdminActionDeps): AdminAction<void> {
  return {
    name: 'GET agents',
    prepare: () => undefined,
    async run(_input, { now }) {
      const overview = await agentsOverview(config(), stores, now);
      return { json: overview, listed: overview.agents.length };
    },
  };
}

interface AgentChange {
  agent: AgentConfig;
  reason?: string;
}

/** `POST agents/:id/disable` `{ reason }`: the agent stops at once, on every replica. */
export function disableAgent(deps: AdminActionDeps): AdminAction<AgentChange> {
  return {
    name: 'POST agents/disable',
    changesState: true,
    readsBody: true,
    audited: req => ({ agent: req.params.id, ...bodyFields(req, ['reason']) }),
    prepare: req => ({
      agent: agentOf(deps.config(), req.params.id),
      ...parseRequest(disableAgentBody, req.body, 'body'),
    }),
    run: (change, { caller }) =>
      switchAgent(deps, change, true, caller.principal),
  };
}

/**
 * `POST agents/:id/enable` `{ reason? }`: lifts a run-time disable. What
 * app-config switched off stays off: config is the adopter's, not the API's.
 */
export function enableAgent(deps: AdminActionDeps): AdminAction<AgentChange> {
  return {
    name: 'POST agents/enable',
    changesState: true,
    readsBody: true,
    audited: req => ({ agent: req.params.id, ...bodyFields(req, ['reason']) }),
    prepare(req) {
      const agent = agentOf(deps.config(), req.params.id);
      const body = parseRequest(enableAgentBody, req.body, 'body');
      if (!agent.enabled) {
        throw new AdminFailure(
          409,
          `Agent '${agent.id}' is disabled in app-config (${agent.configKey}.enabled: false), which the admin API cannot override. Change the config to enable it.`,
          { code: 'disabled-in-config' },
        );
      }
      return { agent, ...body };
    },
    run: (change, { caller }) =>
      switchAgent(deps, change, false, caller.principal),
  };
}

async function switchAgent(
  { stores, logger }: AdminActionDeps,
  { agent, reason }: AgentChange,
  off: boolean,
  changedBy: string,
) {
  const change: ControlSwitch = await stores.switches.set({
    target: agent.id,
    off,
    ...(reason !== undefined && { reason }),
    changedBy,
  });
  // This replica acts now; the others hear of it through the store.
  stores.control.apply(change);
  logger.info(
    `Agent '${agent.id}' ${off ? 'disabled' : 'enabled'} by ${changedBy}${reason ? `: ${reason}` : ''}`,
  );
  return {
    json: {
      id: agent.id,
      state: agentStateOf(agent, stores.control.verdict(agent), [change]),
    } satisfies AgentStateChange,
  };
}
