import { createHmac, randomBytes } from 'node:crypto';
import { AgentConfig } from '../config/gatewayConfig';
import { EntityVisibility } from './entityVisibility';
import { RedactionRules } from './redaction';

/** An agent's data policy, compiled once at start-up. */
export interface AgentScope {
  visibility?: EntityVisibility;
  redaction: RedactionRules;
}

export class AgentScopes {
  private readonly scopes = new Map<string, AgentScope>();

  constructor(agents: AgentConfig[]) {
    for (const agent of agents) {
      this.scopes.set(agent.id, {
        visibility: EntityVisibility.of(agent),
        redaction: RedactionRules.of(agent),
      });
    }
  }

  of(agent: AgentConfig): AgentScope {
    const scope = this.scopes.get(agent.id);
    if (!scope) throw new Error(`No compiled scope for agent ${agent.id}`);
    return scope;
  }
}

// Per process: an elided ref is stable while the process runs, and cannot be
// confirmed by guessing the hidden entity's ref.
const elisionKey = randomBytes(32);

/** The placeholder that stands for a related entity the agent may not see. */
export function elidedRef(ref: string): string {
  const digest = createHmac('sha256', elisionKey)
    .update(ref.toLowerCase())
    .digest('hex');
  return `elided:${digest.slice(0, 12)}`;
}

export const isElidedRef = (ref: string) => ref.startsWith('elided:');
