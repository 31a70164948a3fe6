import { minimatch } from 'minimatch';
import { AgentConfig } from '../config/gatewayConfig';
import { GatewayTool } from '../tools/types';

export type ToolDecision =
  { allowed: true; rule: string } | { allowed: false; rule: string };

/**
 * An agent's `tools.allow` / `tools.deny` globs. Deny wins; a tool no allow
 * pattern names is refused (closed by default).
 */
export function decideTool(
  agent: AgentConfig,
  tool: GatewayTool,
): ToolDecision {
  const at = `mcpGateway.agents[${agent.id}].tools`;
  const denied = agent.tools.deny.find(pattern =>
    minimatch(tool.name, pattern),
  );
  if (denied) {
    return { allowed: false, rule: `${at}.deny pattern '${denied}'` };
  }
  const allowed = agent.tools.allow.find(pattern =>
    minimatch(tool.name, pattern),
  );
  if (allowed) {
    return { allowed: true, rule: `${at}.allow pattern '${allowed}'` };
  }
  return { allowed: false, rule: `${at}.allow (no pattern matches)` };
}
