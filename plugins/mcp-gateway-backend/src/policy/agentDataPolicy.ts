import { AgentConfig } from '../config/gatewayConfig';
import { EntityVisibility } from './entityVisibility';
import { RedactionRules } from './redaction';

/** What an agent may see of the data: which entities, which fields. */
export interface AgentDataPolicy {
  /** Undefined when the agent sees every entity its caller may see. */
  visibility?: EntityVisibility;
  redaction: RedactionRules;
}

/** Every agent's data policy, compiled once at start-up. */
export class AgentDataPolicies {
  private readonly policies = new Map<string, AgentDataPolicy>();

  constructor(agents: AgentConfig[]) {
    for (const agent of agents) {
      this.policies.set(agent.id, {
        visibility: EntityVisibility.of(agent),
        redaction: RedactionRules.of(agent),
      });
    }
  }

  of(agent: AgentConfig): AgentDataPolicy {
    const policy = this.policies.get(agent.id);
    if (!policy)
      throw new Error(`No compiled data policy for agent ${agent.id}`);
    return policy;
  }
}
