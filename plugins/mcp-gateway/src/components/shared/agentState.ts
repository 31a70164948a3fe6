import { AgentStateView } from '@mcp-gateway/plugin-mcp-gateway-common';

export type AgentState = AgentStateView['state'];

/** How each state is named to admins, and its color (a Backstage UI token). */
export const AGENT_STATES: Record<
  AgentState,
  { label: string; color: string }
> = {
  running: { label: 'Active', color: 'var(--bui-fg-positive)' },
  disabled: { label: 'Disabled', color: 'var(--bui-fg-negative)' },
  stopped: { label: 'Gateway stopped', color: 'var(--bui-fg-warning)' },
  unavailable: { label: 'Unavailable', color: 'var(--bui-fg-warning)' },
};

/**
 * Why the agent is in its state, in a sentence, with who and when: e.g.
 * "Leaking data (user:default/carol, 5 min ago)". Undefined for an agent
 * that is simply active.
 */
export function describeState(
  view: AgentStateView,
  formatWhen: (iso: string) => string,
): string | undefined {
  const who =
    view.by === 'config'
      ? 'app-config'
      : [view.by, view.changedAt && formatWhen(view.changedAt)]
          .filter(Boolean)
          .join(', ');
  // The kill switch's banner says why and who; no need to repeat it per agent.
  if (view.state === 'stopped') return 'Stopped by the gateway kill switch';
  if (view.state === 'running') {
    if (!view.by) return undefined;
    return `Re-enabled (${who})${view.reason ? `: ${view.reason}` : ''}`;
  }
  const why = view.reason ?? 'No reason given';
  // app-config's own reasons already say so.
  if (!who || (view.by === 'config' && why.includes('app-config'))) return why;
  return `${why} (${who})`;
}
