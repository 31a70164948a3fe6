import {
  KubernetesValidatorFunctions,
  parseEntityRef,
} from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import { z } from 'zod';
import { serverNameFor, serverNameProblem } from './serverName';

const KEY = 'mcpGateway.catalogEntity';

/** What the entity says when the config leaves a key out. */
export const CATALOG_ENTITY_DEFAULTS = {
  name: 'mcp-gateway',
  title: 'MCP Gateway',
  description:
    'Backstage as MCP tools for AI agents, with per-agent identity, policy and audit.',
  lifecycle: 'production',
} as const;

/** How the gateway describes itself in the catalog. */
export interface GatewayEntitySettings {
  name: string;
  title: string;
  description: string;
  /** An entity ref as written in config, e.g. `group:default/platform`. */
  owner: string;
  lifecycle: string;
  system?: string;
  /** The namespaced name in the definition, e.g. `com.example.backstage/mcp-gateway`. */
  serverName: string;
}

export type CatalogEntityConfig =
  { enabled: false } | ({ enabled: true } & GatewayEntitySettings);

/** A ref the catalog can resolve, to an entity of one of `kinds`. */
const entityRef = (defaultKind: string, kinds: string[], example: string) =>
  z.string().superRefine((value, ctx) => {
    const problem = refProblem(value, defaultKind, kinds, example);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const text = z.string().trim().min(1, 'must not be empty');

const schema = z
  .strictObject({
    enabled: z.boolean().default(true),
    name: z
      .string()
      .refine(
        value => KubernetesValidatorFunctions.isValidObjectName(value),
        "must be a valid entity name (at most 63 letters, digits, '-', '_' or '.', beginning and ending with a letter or digit)",
      )
      .default(CATALOG_ENTITY_DEFAULTS.name),
    title: text.default(CATALOG_ENTITY_DEFAULTS.title),
    description: text.default(CATALOG_ENTITY_DEFAULTS.description),
    owner: entityRef(
      'Group',
      ['group', 'user'],
      'group:default/platform',
    ).optional(),
    lifecycle: text.default(CATALOG_ENTITY_DEFAULTS.lifecycle),
    system: entityRef(
      'System',
      ['system'],
      'system:default/developer-platform',
    ).optional(),
    serverName: z
      .string()
      .superRefine((value, ctx) => {
        const problem = serverNameProblem(value);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
  })
  .superRefine((value, ctx) => {
    // An API entity needs an owner, and no default could be right.
    if (value.enabled && value.owner === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['owner'],
        message: `is required: the gateway registers itself in the catalog as an API entity, which needs an owner. Set ${KEY}.owner (e.g. group:default/platform), or set ${KEY}.enabled: false to not register it`,
      });
    }
  });

/**
 * Reads `mcpGateway.catalogEntity`, filling defaults; `mcpUrl` is the
 * gateway's external URL, which the default server name is derived from.
 * Throws, naming every invalid key, if the config is invalid.
 */
export function readCatalogEntityConfig(
  config: Config,
  mcpUrl: string,
): CatalogEntityConfig {
  const parsed = schema.safeParse(config.getOptional(KEY) ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      issue =>
        `${[KEY, ...issue.path.map(String)].join('.')}: ${issue.message}`,
    );
    throw new Error(
      `Invalid MCP gateway catalog entity configuration. ${problems.join('; ')}`,
    );
  }
  const { enabled, owner, serverName, system, ...settings } = parsed.data;
  // The schema requires an owner whenever enabled; this tells TypeScript.
  if (!enabled || owner === undefined) {
    return { enabled: false };
  }
  return {
    enabled: true,
    ...settings,
    owner,
    ...(system !== undefined && { system }),
    serverName: serverName ?? serverNameFor(mcpUrl, settings.name),
  };
}

function refProblem(
  value: string,
  defaultKind: string,
  kinds: string[],
  example: string,
): string | undefined {
  const expected = `must be an entity ref of a ${kinds.join(' or a ')}, e.g. ${example}`;
  let ref;
  try {
    ref = parseEntityRef(value, { defaultKind, defaultNamespace: 'default' });
  } catch {
    return expected;
  }
  const valid =
    kinds.includes(ref.kind.toLocaleLowerCase('en-US')) &&
    KubernetesValidatorFunctions.isValidNamespace(ref.namespace) &&
    KubernetesValidatorFunctions.isValidObjectName(ref.name);
  return valid ? undefined : expected;
}
