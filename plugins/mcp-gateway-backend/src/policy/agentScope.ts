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

/**
 * The placeholder for an entity this caller may not see, for one agent and
 * principal: the same hidden entity gets a different id for every other
 * agent or user, so ids compared across them tell nothing.
 */
export function elisionFor(
  agentId: string,
  principal: string,
): (ref: string) => string {
  const key = createHmac('sha256', elisionKey)
    .update(`${agentId}\0${principal}`)
    .digest();
  return ref =>
    `elided:${createHmac('sha256', key)
      .update(ref.toLowerCase())
      .digest('hex')
      .slice(0, 12)}`;
}

export const isElidedRef = (ref: string) => ref.startsWith('elided:');
