import { z } from 'zod';
import { AgentConfig, principalKey } from '../../config/gatewayConfig';
import { defineTool } from '../types';

export const whoAmITool = defineTool({
  name: 'who_am_i',
  title: 'Who am I',
  description:
    'Tells which gateway agent this connection is, which Backstage principal it authenticated as, which user it acts for, and which tools it may call.',
  access: 'read',
  idempotent: true,
  input: z.object({}),
  output: z.object({
    agent: z.object({ id: z.string(), description: z.string().optional() }),
    principal: z
      .string()
      .describe('The Backstage principal: a user ref or a service subject'),
    principalType: z.enum(['user', 'service']),
    onBehalfOf: z
      .string()
      .optional()
      .describe('The signed-in user the calls are made for'),
    actor: z
      .string()
      .optional()
      .describe('The plugin calling on behalf of that user'),
    matchedBy: z.string().describe('The agent principal entry that matched'),
    policy: z
      .object({
        readOnly: z.boolean(),
        entities: z
          .record(z.string(), z.unknown())
          .optional()
          .describe('Which entities the agent may see, when limited'),
        redacted: z
          .array(z.string())
          .describe('Field paths whose values are replaced by [redacted]'),
      })
      .describe('What this agent may see and do'),
    tools: z.array(
      z.object({
        name: z.string(),
        title: z.string(),
        access: z.enum(['read', 'write', 'destructive']),
      }),
    ),
  }),
  async run({ caller, availableTools }) {
    return {
      agent: { id: caller.agent.id, description: caller.agent.description },
      principal: caller.principal,
      principalType: caller.principalType,
      onBehalfOf: caller.user,
      actor: caller.actor,
      matchedBy: caller.matchedBy
        ? principalKey(caller.matchedBy)
        : `${caller.agent.configKey} (no agent claims this principal)`,
      policy: {
        readOnly: caller.agent.readOnly,
        entities: describeVisibility(caller.agent.entities),
        redacted: caller.agent.redact,
      },
      tools: (await availableTools()).map(({ name, title, access }) => ({
        name,
        title,
        access,
      })),
    };
  },
  render(me) {
    return [
      `agent: ${me.agent.id}${me.agent.description ? ` - ${me.agent.description}` : ''}`,
      `principal: ${me.principal} (${me.principalType})`,
      me.onBehalfOf ? `on behalf of: ${me.onBehalfOf}` : undefined,
      me.actor ? `via: ${me.actor}` : undefined,
      `matched by: ${me.matchedBy}`,
      `read-only: ${me.policy.readOnly ? 'yes' : 'no'}`,
      me.policy.entities
        ? `sees only: ${JSON.stringify(me.policy.entities)}`
        : undefined,
      me.policy.redacted.length
        ? `redacted: ${me.policy.redacted.join(', ')}`
        : undefined,
      `tools: ${me.tools.map(t => t.name).join(', ') || 'none'}`,
    ]
      .filter(Boolean)
      .join('\n');
  },
});

function describeVisibility(entities: AgentConfig['entities']) {
  const { kinds, namespaces, exclude } = entities;
  const described = {
    ...(kinds && { kinds }),
    ...(namespaces && { namespaces }),
    ...(exclude.kinds.length && { excludedKinds: exclude.kinds }),
    ...(exclude.namespaces.length && {
      excludedNamespaces: exclude.namespaces,
    }),
    ...(exclude.tags.length && { excludedTags: exclude.tags }),
  };
  return Object.keys(described).length ? described : undefined;
}
