import { AgentConfig } from '../config/gatewayConfig';
import { changesState, Operation } from '../core/operation';
import { compilePattern, Pattern } from '../config/patterns';

export type ToolDecision = { allowed: boolean; rule: string };

/**
 * An agent's tool policy. A write (or destructive) tool needs
 * `readOnly: false` first; then deny wins over allow; a tool no allow
 * pattern names is refused (closed by default).
 */
export function decideTool(
  agent: AgentConfig,
  tool: Pick<Operation, 'name' | 'access'>,
): ToolDecision {
  const at = agent.configKey;
  if (changesState(tool.access) && agent.readOnly) {
    return {
      allowed: false,
      rule: `${at}.readOnly (write tools need readOnly: false)`,
    };
  }
  const denied = agent.tools.deny.find(pattern =>
    toolPattern(pattern).test(tool.name),
  );
  if (denied) {
    return { allowed: false, rule: `${at}.tools.deny pattern '${denied}'` };
  }
  const allowed = agent.tools.allow.find(pattern =>
    toolPattern(pattern).test(tool.name),
  );
  if (allowed) {
    return { allowed: true, rule: `${at}.tools.allow pattern '${allowed}'` };
  }
  return { allowed: false, rule: `${at}.tools.allow (no pattern matches)` };
}

const compiled = new Map<string, Pattern>();

/** Tool names compare exactly; each pattern is compiled once. */
export function toolPattern(pattern: string): Pattern {
  let found = compiled.get(pattern);
  if (!found) {
    found = compilePattern(pattern);
    compiled.set(pattern, found);
  }
  return found;
}
