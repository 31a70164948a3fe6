import {
  AgentsOverview,
  AgentStateView,
  AgentView,
  AuditCounts,
  KillSwitchView,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { AgentConfig, GatewayConfig } from '../config/gatewayConfig';
import { GATEWAY_TARGET } from '../control/controlSwitches';
import {
  AgentActivity,
  AdminStores,
  ControlSwitch,
  ControlVerdict,
} from './adminStores';

// The views are the common package's, which the admin page reads them
// with: a field added, renamed or retyped on one side fails to compile here.

const NO_CALLS: AuditCounts = { calls: 0, refusals: 0 };

/** `GET agents`: every agent in config (the default agent last), and the kill switch. */
export async function agentsOverview(
  config: GatewayConfig,
  stores: AdminStores,
  now: number,
): Promise<AgentsOverview> {
  const [switches, activity] = await Promise.all([
    stores.switches.readAll(),
    stores.audit.activity(now),
  ]);
  return {
    agents: config.policies.map(agent =>
      agentViewOf(
        agent,
        agentStateOf(agent, stores.control.verdict(agent), switches),
        activity.get(agent.id),
      ),
    ),
    killSwitch: killSwitchOf(config.killSwitch, switches),
  };
}

export function agentViewOf(
  agent: AgentConfig,
  state: AgentStateView,
  activity?: AgentActivity,
): AgentView {
  return {
    id: agent.id,
    description: agent.description,
    configKey: agent.configKey,
    principals: agent.principals,
    policy: {
      enabled: agent.enabled,
      readOnly: agent.readOnly,
      tools: agent.tools,
      templates: agent.templates,
      locations: agent.locations,
      resources: agent.resources,
      prompts: agent.prompts,
      entities: agent.entities,
      redact: agent.redact,
      rateLimit: agent.rateLimit ?? null,
    },
    state,
    lastCallAt: activity?.lastCallAt ?? null,
    lastHour: activity?.lastHour ?? NO_CALLS,
    lastDay: activity?.lastDay ?? NO_CALLS,
  };
}

/** The replica's verdict, with when and why from the switch behind it. */
export function agentStateOf(
  agent: AgentConfig,
  verdict: ControlVerdict,
  switches: readonly ControlSwitch[],
): AgentStateView {
  const own = switches.find(s => s.target === agent.id);
  switch (verdict.state) {
    case 'running':
      // Re-enabled at run time: say by whom and when.
      return { state: 'running', ...(own && !own.off && changeOf(own)) };
    case 'agent-disabled':
      return verdict.by === 'config'
        ? {
            state: 'disabled',
            reason:
              verdict.reason ??
              `${agent.configKey}.enabled is false in app-config`,
            by: 'config',
          }
        : { state: 'disabled', ...runtimeChange(verdict, own) };
    case 'gateway-stopped':
      return verdict.by === 'config'
        ? {
            state: 'stopped',
            reason:
              verdict.reason ?? 'mcpGateway.killSwitch is true in app-config',
            by: 'config',
          }
        : {
            state: 'stopped',
            ...runtimeChange(
              verdict,
              switches.find(s => s.target === GATEWAY_TARGET),
            ),
          };
    default:
      return {
        state: 'unavailable',
        reason:
          'The kill switch state cannot be read, so this replica refuses every call until it can.',
      };
  }
}

export function killSwitchOf(
  engagedInConfig: boolean,
  switches: readonly ControlSwitch[],
): KillSwitchView {
  const runtime = switches.find(s => s.target === GATEWAY_TARGET);
  if (engagedInConfig) {
    return {
      engaged: true,
      source: 'config',
      reason: 'mcpGateway.killSwitch is true in app-config',
      by: 'config',
    };
  }
  if (!runtime) return { engaged: false };
  return {
    engaged: runtime.off,
    ...(runtime.off && { source: 'runtime' as const }),
    ...changeOf(runtime),
  };
}

function runtimeChange(
  verdict: { reason?: string; by: string },
  change: ControlSwitch | undefined,
) {
  return {
    reason: verdict.reason ?? change?.reason,
    by: verdict.by,
    ...(change && { changedAt: change.changedAt }),
  };
}

function changeOf(change: ControlSwitch) {
  return {
    ...(change.reason !== undefined && { reason: change.reason }),
    by: change.changedBy,
    changedAt: change.changedAt,
  };
}
