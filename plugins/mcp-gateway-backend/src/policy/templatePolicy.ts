import { AgentConfig } from '../config/gatewayConfig';
import { compiledList } from '../config/patterns';
import { canonicalTemplateRef } from './operationTargets';

/**
 * Whether the agent's `templates.allow` names this template, in the one
 * spelling the scaffolder is asked for. Closed by default: no pattern, no
 * template.
 */
export function isTemplateAllowed(agent: AgentConfig, ref: string): boolean {
  const canonical = canonicalTemplateRef(ref);
  return (
    canonical !== undefined &&
    compiledList(agent.templates.allow, { caseInsensitive: true }).some(
      pattern => pattern.test(canonical),
    )
  );
}
