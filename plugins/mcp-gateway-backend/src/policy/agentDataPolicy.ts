import { AgentConfig } from '../config/gatewayConfig';
import { EntityVisibility } from './entityVisibility';
import { RedactionRules } from './redaction';

/** What an agent may see of the data: which entities, which fields. */
export interface AgentDataPolicy {
  /** Undefined when the agent sees every entity its caller may see. */
  visibility?: EntityVisibility;
  redaction: RedactionRules;
}

/**
 * Every agent's data policy, compiled once per policy object: a reloaded
 * config brings new objects (compiled on first use), while a call admitted
 * under the previous config keeps the policy it was admitted with.
 */
export class AgentDataPolicies {
  private readonly policies = new WeakMap<AgentConfig, AgentDataPolicy>();

  of(agent: AgentConfig): AgentDataPolicy {
    let policy = this.policies.get(agent);
    if (!policy) {
      policy = {
        visibility: EntityVisibility.of(agent),
        redaction: RedactionRules.of(agent),
      };
      this.policies.set(agent, policy);
    }
    return policy;
  }
}
