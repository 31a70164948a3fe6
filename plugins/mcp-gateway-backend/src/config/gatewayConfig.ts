import { Config } from '@backstage/config';
import { z } from 'zod';

const agentIdPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const refOfKind = (kind: string) =>
  z
    .string()
    .regex(
      new RegExp(`^${kind}:[a-z0-9_.-]+/[a-z0-9_.-]+$`, 'i'),
      `must be a full ${kind} ref: ${kind}:<namespace>/<name>`,
    );

const principalSchema = z.union(
  [
    z.strictObject({
      service: z.string().min(1, 'must name a service principal subject'),
    }),
    z.strictObject({
      actor: z
        .string()
        .regex(/^plugin:[a-z0-9-]+$/, 'must look like plugin:<plugin id>'),
    }),
    z.strictObject({ user: refOfKind('user') }),
    z.strictObject({ group: refOfKind('group') }),
  ],
  { error: 'must be one of { service }, { actor }, { user } or { group }' },
);

const agentSchema = z.strictObject({
  id: z
    .string()
    .regex(agentIdPattern, 'must be lowercase letters, digits and dashes'),
  description: z.string().optional(),
  principals: z
    .array(principalSchema)
    .min(1, 'must list at least one principal'),
  tools: z
    .strictObject({
      allow: z.array(z.string().min(1)).default([]),
      deny: z.array(z.string().min(1)).default([]),
    })
    .default({ allow: [], deny: [] }),
});

const gatewaySchema = z.strictObject({
  agents: z.array(agentSchema).default([]),
});

export type PrincipalMatcher = z.infer<typeof principalSchema>;
export type AgentConfig = z.infer<typeof agentSchema>;
export type GatewayConfig = z.infer<typeof gatewaySchema>;

/**
 * Reads and validates `mcpGateway` once, at start-up. Anything wrong stops the
 * backend with a message naming the offending key, so a typo never silently
 * widens (or narrows) what an agent may do.
 */
export function readGatewayConfig(config: Config): GatewayConfig {
  const raw = config.getOptional('mcpGateway') ?? {};
  const parsed = gatewaySchema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      issue => `${keyPath(['mcpGateway', ...issue.path])}: ${issue.message}`,
    );
    throw new Error(
      `Invalid MCP gateway configuration. ${problems.join('; ')}`,
    );
  }
  assertUnique(parsed.data);
  return parsed.data;
}

function assertUnique(gateway: GatewayConfig) {
  const ids = new Map<string, number>();
  const claims = new Map<string, string>();
  gateway.agents.forEach((agent, index) => {
    const previous = ids.get(agent.id);
    if (previous !== undefined) {
      throw new Error(
        `Invalid MCP gateway configuration. mcpGateway.agents[${index}].id: '${agent.id}' is already used by mcpGateway.agents[${previous}]`,
      );
    }
    ids.set(agent.id, index);
    for (const principal of agent.principals) {
      const key = principalKey(principal);
      const owner = claims.get(key);
      if (owner !== undefined && owner !== agent.id) {
        throw new Error(
          `Invalid MCP gateway configuration. mcpGateway.agents[${index}].principals: ${key} is already claimed by agent '${owner}'`,
        );
      }
      claims.set(key, agent.id);
    }
  });
}

/** A stable, human-readable key for a principal matcher, e.g. `user user:default/alice`. */
export function principalKey(principal: PrincipalMatcher): string {
  const [kind, value] = Object.entries(principal)[0];
  return `${kind} ${kind === 'service' ? value : value.toLowerCase()}`;
}

function keyPath(path: PropertyKey[]): string {
  return path
    .map((part, i) =>
      typeof part === 'number'
        ? `[${part}]`
        : `${i === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}
