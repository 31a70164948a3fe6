import { Config } from '@backstage/config';
import { z } from 'zod';
import { parseHostEntry } from './hostEntries';
import { patternProblem } from './patterns';

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

/** A pattern in the one dialect (policy/patterns.ts), of a given shape. */
const pattern = (what: string, shape: RegExp, example: string) =>
  z.string().superRefine((value, ctx) => {
    const problem =
      patternProblem(value) ??
      (shape.test(value) ? undefined : `must be ${what}, e.g. ${example}`);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
const patternList = (what: string, shape: RegExp, example: string) =>
  z.array(pattern(what, shape, example));

const toolPatterns = patternList(
  'a tool name pattern',
  /^[A-Za-z0-9_.*-]+$/,
  'get_entity or list_*',
);

/** What an agent may do: everything but who it is. */
const policyShape = {
  description: z.string().optional(),
  /** Off switch in config; the runtime kill switch comes on top. */
  enabled: z.boolean().default(true),
  /** No write tool, whatever tools.allow says. Closed by default. */
  readOnly: z.boolean().default(true),
  tools: z
    .strictObject({
      allow: toolPatterns.default([]),
      deny: toolPatterns.default([]),
    })
    .default({ allow: [], deny: [] }),
  templates: z
    .strictObject({
      allow: patternList(
        'a template ref pattern',
        /^template:[a-z0-9_.*-]+\/[a-z0-9_.*-]+$/i,
        'template:default/new-service',
      ).default([]),
      /**
       * Which scaffolder tasks get_task and cancel_task reach: `own`, the
       * tasks this agent started for the same caller and the signed-in
       * user's own; `all`, every task the caller may read in the scaffolder.
       */
      tasks: z.enum(['own', 'all']).default('own'),
    })
    .default({ allow: [], tasks: 'own' }),
  locations: z
    .strictObject({
      allow: patternList(
        'an http(s) URL pattern',
        /^https?:\/\/\S+$/,
        'https://github.com/acme/*',
      ).default([]),
    })
    .default({ allow: [] }),
  resources: z
    .strictObject({
      allow: patternList(
        'a resource name pattern',
        /^[a-z*]+$/,
        'entity or techdocs',
      ).default([]),
    })
    .default({ allow: [] }),
  /** Narrows the prompts listed; a prompt also needs every tool and resource it names. */
  prompts: z
    .strictObject({
      allow: patternList(
        'a prompt name pattern',
        /^[a-z0-9_*]+$/,
        'incident_response',
      ).default(['*']),
    })
    .default({ allow: ['*'] }),
  entities: z
    .strictObject({
      kinds: z.array(z.string().min(1)).optional(),
      namespaces: z.array(z.string().min(1)).optional(),
      exclude: z
        .strictObject({
          kinds: z.array(z.string().min(1)).default([]),
          namespaces: z.array(z.string().min(1)).default([]),
          tags: z.array(z.string().min(1)).default([]),
        })
        .default({ kinds: [], namespaces: [], tags: [] }),
    })
    .default({ exclude: { kinds: [], namespaces: [], tags: [] } }),
  redact: patternList(
    'an entity field path (dots between keys, * as a wildcard)',
    /^[A-Za-z0-9_.*\/-]+$/,
    'spec.profile.email',
  ).default([]),
  rateLimit: z
    .strictObject({
      requests: z.number().int().positive(),
      per: z.enum(['second', 'minute', 'hour', 'day']),
      writes: z.number().int().min(0).optional(),
    })
    .optional(),
};

const agentSchema = z.strictObject({
  id: z
    .string()
    .regex(agentIdPattern, 'must be lowercase letters, digits and dashes')
    .refine(id => id !== 'default', 'is reserved for mcpGateway.defaultAgent'),
  principals: z
    .array(principalSchema)
    .min(1, 'must list at least one principal'),
  ...policyShape,
});

/** Who may use the admin API: the principal shapes of agents, without actors. */
const adminSchema = z.union(
  [
    z.strictObject({
      service: z.string().min(1, 'must name a service principal subject'),
    }),
    z.strictObject({ user: refOfKind('user') }),
    z.strictObject({ group: refOfKind('group') }),
  ],
  { error: 'must be one of { service }, { user } or { group }' },
);

const auditSchema = z.strictObject({
  /**
   * `closed` (default): nothing runs when its record cannot be written.
   * `open`: reads still run; writes never do.
   */
  failurePolicy: z.enum(['closed', 'open']).default('closed'),
  /** Records older than this are deleted, once a day, by one replica. */
  retentionDays: z.number().int().positive().default(90),
});

const locationGuardSchema = z.strictObject({
  /**
   * Hosts `register_location` may reach although they are (or resolve to)
   * loopback, private, link-local or metadata addresses.
   */
  allowedHosts: z
    .array(
      z.string().superRefine((entry, ctx) => {
        const parsed = parseHostEntry(entry);
        if (typeof parsed === 'string') {
          ctx.addIssue({
            code: 'custom',
            message: `${parsed}; write a host name, *.domain or IP address, with an optional :port`,
          });
        }
      }),
    )
    .default([]),
});

/** The document types Backstage's own catalog and TechDocs collators index. */
export const DEFAULT_SEARCH_TYPES = [
  {
    type: 'software-catalog',
    description:
      'catalog entities: services, APIs, systems, resources, teams, people',
  },
  { type: 'techdocs', description: 'TechDocs pages' },
];

const searchSchema = z.strictObject({
  types: z
    .array(
      z.strictObject({
        type: z
          .string()
          .regex(
            /^[a-z0-9][a-z0-9_-]{0,62}$/,
            'must be a search document type, e.g. techdocs',
          ),
        description: z.string().min(1).max(200),
      }),
    )
    .min(1)
    .default(DEFAULT_SEARCH_TYPES),
});

/** Other plugins' actions (Backstage's actions registry) served as tools. */
const actionsSchema = z.strictObject({
  /** Off by default: enabling it offers agents tools the adopter has not read. */
  enabled: z.boolean().default(false),
  /** Action ids (`<plugin id>:<action name>`) to serve; every one by default. */
  include: patternList(
    'an action id pattern',
    /^[A-Za-z0-9_.*:-]+$/,
    'catalog:* or my-plugin:create-*',
  ).default(['*']),
  /** Action ids never to serve, whatever `include` says. */
  exclude: patternList(
    'an action id pattern',
    /^[A-Za-z0-9_.*:-]+$/,
    'catalog:unregister-*',
  ).default([]),
  /** How often each replica reads the list of actions again. */
  refreshSeconds: z.number().int().min(5).max(3600).default(30),
});

export const DEFAULT_ACTIONS_CONFIG = {
  enabled: false,
  include: ['*'],
  exclude: [],
  refreshSeconds: 30,
};

const gatewaySchema = z.strictObject({
  agents: z.array(agentSchema).default([]),
  /** The global kill switch in config: true stops every agent. */
  killSwitch: z.boolean().default(false),
  /** Callers of the admin API; users also need the mcp-gateway.admin permission. */
  admins: z.array(adminSchema).default([]),
  audit: auditSchema.default({ failurePolicy: 'closed', retentionDays: 90 }),
  locationGuard: locationGuardSchema.default({ allowedHosts: [] }),
  search: searchSchema.default({ types: DEFAULT_SEARCH_TYPES }),
  actions: actionsSchema.default(DEFAULT_ACTIONS_CONFIG),
  /**
   * The gateway's own entity in the catalog: read and validated by the
   * catalog module that provides it (catalogEntity/), not by the plugin.
   */
  catalogEntity: z.unknown().optional(),
  /**
   * Browser origins allowed to call the endpoint, besides the backend's and
   * the app's base URLs and backend.cors.origin.
   */
  allowedOrigins: patternList(
    'an origin pattern (scheme://host[:port], no path)',
    /^https?:\/\/[^/\s]+$/i,
    'https://portal.acme.example',
  ).default([]),
  /** The policy for authenticated callers that match no agent; without it they are refused. */
  defaultAgent: z.strictObject(policyShape).optional(),
});

type ParsedGateway = z.infer<typeof gatewaySchema>;

/** An agent as the gateway uses it: its policy, and where that policy is written. */
export type AgentConfig = Omit<z.infer<typeof agentSchema>, 'principals'> & {
  principals: PrincipalMatcher[];
  /** The config key refusals name, e.g. `mcpGateway.agents[incident-copilot]`. */
  configKey: string;
};

export interface GatewayConfig {
  agents: AgentConfig[];
  /** Origins allowed besides those Backstage's own config names. */
  allowedOrigins: string[];
  defaultAgent?: AgentConfig;
  /** Every policy in force: the agents, then the default agent if any. */
  policies: AgentConfig[];
  /** The kill switch as config sets it; the admin API can engage it at run time too. */
  killSwitch: boolean;
  admins: AdminMatcher[];
  audit: AuditConfig;
  /** The SSRF guard's exemptions for location URLs. */
  locationGuard: LocationGuardConfig;
  /** What the search tool says the search backend indexes. */
  search: SearchConfig;
  /** Which of other plugins' actions are served as tools. */
  actions: ActionsConfig;
}

export type AdminMatcher = z.infer<typeof adminSchema>;
export type AuditConfig = z.infer<typeof auditSchema>;
export type LocationGuardConfig = z.infer<typeof locationGuardSchema>;
export type SearchConfig = z.infer<typeof searchSchema>;
export type ActionsConfig = z.infer<typeof actionsSchema>;

export const DEFAULT_AGENT_ID = 'default';

export type PrincipalMatcher = z.infer<typeof principalSchema>;

/**
 * Reads and validates `mcpGateway`. Anything wrong is an error naming the
 * offending key (at start-up it stops the backend; a reload is refused), so
 * a typo never silently widens (or narrows) what an agent may do.
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
  const agents = parsed.data.agents.map(agent => ({
    ...agent,
    configKey: `mcpGateway.agents[${agent.id}]`,
  }));
  const defaultAgent = parsed.data.defaultAgent && {
    ...parsed.data.defaultAgent,
    id: DEFAULT_AGENT_ID,
    principals: [],
    configKey: 'mcpGateway.defaultAgent',
  };
  return {
    agents,
    allowedOrigins: parsed.data.allowedOrigins,
    defaultAgent,
    policies: defaultAgent ? [...agents, defaultAgent] : agents,
    killSwitch: parsed.data.killSwitch,
    admins: parsed.data.admins,
    audit: parsed.data.audit,
    locationGuard: parsed.data.locationGuard,
    search: parsed.data.search,
    actions: parsed.data.actions,
  };
}

function assertUnique(gateway: ParsedGateway) {
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
