import { AgentConfig } from '../config/gatewayConfig';
import { compilePattern } from '../config/patterns';
import { canonicalTemplateRef } from './operationTargets';

const lower = (text: string) => text.toLowerCase();

/**
 * Whether the agent's `templates.allow` names this template, in the one
 * spelling the scaffolder is asked for. Closed by default: no pattern, no
 * template.
 */
export function isTemplateAllowed(agent: AgentConfig, ref: string): boolean {
  const canonical = canonicalTemplateRef(ref);
  return (
    canonical !== undefined &&
    agent.templates.allow.some(pattern =>
      compilePattern(pattern, { fold: lower }).test(canonical),
    )
  );
}
