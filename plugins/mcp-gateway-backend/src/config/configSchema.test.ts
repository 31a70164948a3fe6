import { AppConfig, ConfigReader } from '@backstage/config';
import {
  ConfigSchema,
  loadConfig,
  loadConfigSchema,
} from '@backstage/config-loader';
import { JsonObject } from '@backstage/types';
import { resolve as resolvePath } from 'node:path';
import { readGatewayConfig } from './gatewayConfig';
import { agent, fullPolicyAgent } from './__fixtures__/agents';

/*
 * Holds the demo app-config.yaml and example configs to config.d.ts, the way
 * `backstage-cli config:check --strict` does: the schemas of every package the
 * demo backend and app depend on (this plugin's config.d.ts among them), compiled
 * with no undeclared properties, every visibility, schema errors fatal. Every
 * valid example must also pass readGatewayConfig, so config.d.ts and the zod
 * schema in gatewayConfig.ts cannot drift apart unnoticed.
 */

const repoRoot = resolvePath(__dirname, '../../../..');
const pluginPackage = '@mcp-gateway/plugin-mcp-gateway-backend';

let schema: ConfigSchema;
let gatewaySchema: JsonObject;
/** app-config.yaml without its mcpGateway section, for examples to go on top of. */
let demoWithoutGateway: AppConfig[];
let demoConfigs: AppConfig[];

beforeAll(async () => {
  const collected = await loadConfigSchema({
    dependencies: [],
    packagePaths: [
      resolvePath(repoRoot, 'packages/backend/package.json'),
      resolvePath(repoRoot, 'packages/app/package.json'),
      resolvePath(repoRoot, 'package.json'),
    ],
  });
  const { schemas } = collected.serialize() as {
    schemas: Array<{ packageName: string; value: JsonObject }>;
  };
  const ours = schemas.find(s => s.packageName === pluginPackage);
  if (!ours) throw new Error(`no config schema from ${pluginPackage}`);
  gatewaySchema = (ours.value.properties as JsonObject)
    .mcpGateway as JsonObject;
  schema = await loadConfigSchema({
    serialized: {
      backstageConfigSchemaVersion: 1,
      schemas,
    },
    noUndeclaredProperties: true,
  });

  const { appConfigs } = await loadConfig({
    configRoot: repoRoot,
    configTargets: [{ path: resolvePath(repoRoot, 'app-config.yaml') }],
  });
  demoConfigs = appConfigs;
  demoWithoutGateway = appConfigs.map(({ context, data }) => {
    const { mcpGateway: _, ...rest } = data;
    return { context, data: rest };
  });
}, 60_000);

/** What `backstage-cli config:check --strict` does with loaded configs. */
function strictCheck(configs: AppConfig[]) {
  schema.process(configs, {
    visibility: ['frontend', 'backend', 'secret'],
    ignoreSchemaErrors: false,
  });
}

/** An example as app-config.local.yaml would set it, over the demo config. */
function checkGateway(mcpGateway: unknown) {
  strictCheck([
    ...demoWithoutGateway,
    { context: 'example', data: { mcpGateway } as JsonObject },
  ]);
}

/** Every key path a value sets, e.g. `agents[].rateLimit.per`. */
function keyPaths(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) {
    return value.flatMap(item => keyPaths(item, `${path}[]`));
  }
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => {
      const childPath = path ? `${path}.${key}` : key;
      return [childPath, ...keyPaths(child, childPath)];
    });
  }
  return [];
}

/** Every key path a JSON schema declares. */
function declaredPaths(node: JsonObject, path = ''): string[] {
  const paths: string[] = [];
  for (const variant of (node.anyOf ?? node.allOf ?? []) as JsonObject[]) {
    paths.push(...declaredPaths(variant, path));
  }
  if (node.items)
    paths.push(...declaredPaths(node.items as JsonObject, `${path}[]`));
  for (const [key, child] of Object.entries(
    (node.properties ?? {}) as JsonObject,
  )) {
    const childPath = path ? `${path}.${key}` : key;
    paths.push(childPath, ...declaredPaths(child as JsonObject, childPath));
  }
  return paths;
}

/** Every key that config.d.ts and gatewayConfig.ts accept, each set. */
const everyKey = {
  agents: [
    agent({
      description: 'Every policy key set.',
      enabled: false,
      readOnly: false,
      tools: { allow: ['*'], deny: ['refresh_*'] },
      templates: { allow: ['template:default/new-service'], tasks: 'all' },
      locations: { allow: ['https://github.com/acme/**'] },
      resources: { allow: ['entity', 'techdocs'] },
      prompts: { allow: ['incident_*'] },
      entities: {
        kinds: ['Component'],
        namespaces: ['default'],
        exclude: {
          kinds: ['User'],
          namespaces: ['secret'],
          tags: ['restricted'],
        },
      },
      redact: [
        'spec.profile.email',
        'metadata.annotations.vault.example.com/*',
      ],
      rateLimit: { requests: 120, per: 'minute', writes: 10 },
    }),
    agent({
      id: 'every-principal',
      principals: [
        { service: 'bot' },
        { actor: 'plugin:portal-ai-chat' },
        { user: 'user:default/alice' },
        { group: 'group:default/sre' },
      ],
    }),
  ],
  defaultAgent: {
    description: 'Callers no agent claims.',
    enabled: true,
    readOnly: true,
    tools: { allow: ['who_am_i'], deny: [] },
    templates: { allow: [], tasks: 'own' },
    locations: { allow: [] },
    resources: { allow: [] },
    prompts: { allow: [] },
    entities: {
      kinds: ['Component', 'API'],
      namespaces: ['default'],
      exclude: { kinds: [], namespaces: [], tags: ['restricted'] },
    },
    redact: ['spec.profile.*'],
    rateLimit: { requests: 10, per: 'second', writes: 0 },
  },
  allowedOrigins: ['https://portal.acme.example', 'https://*.agents.example'],
  killSwitch: false,
  admins: [
    { service: 'external:ops-console' },
    { user: 'user:default/alice' },
    { group: 'group:default/platform' },
  ],
  audit: { failurePolicy: 'open', retentionDays: 30 },
  catalogEntity: {
    enabled: true,
    name: 'backstage-mcp',
    title: 'Acme Backstage MCP',
    description: 'Acme tools for agents.',
    owner: 'group:default/platform',
    lifecycle: 'experimental',
    system: 'system:default/developer-platform',
    serverName: 'com.acme/backstage',
  },
  locationGuard: { allowedHosts: ['ghe.acme.internal:8443', '*.git.acme'] },
  search: {
    types: [{ type: 'adr', description: 'architecture decision records' }],
  },
  actions: {
    enabled: true,
    include: ['catalog:*', 'my-plugin:create-*'],
    exclude: ['catalog:unregister-*'],
    refreshSeconds: 60,
  },
};

/** A representative set of the valid configs gatewayConfig.test.ts reads. */
const validExamples: Array<[string, unknown]> = [
  ['every key', everyKey],
  ['no agents', {}],
  [
    'tools left to their default',
    {
      agents: [
        agent(),
        agent({
          id: 'quiet',
          principals: [{ user: 'user:default/alice' }],
          tools: undefined,
        }),
      ],
    },
  ],
  [
    'the full policy vocabulary',
    {
      agents: [fullPolicyAgent()],
    },
  ],
  [
    'only a default agent',
    { agents: [], defaultAgent: { tools: { allow: ['who_am_i'] } } },
  ],
];

describe('config.d.ts', () => {
  it('accepts app-config.yaml as config:check --strict does', () => {
    expect(() => strictCheck(demoConfigs)).not.toThrow();
    expect(
      readGatewayConfig(ConfigReader.fromConfigs(demoConfigs)).agents.length,
    ).toBeGreaterThan(0);
  });

  it.each(validExamples)(
    'accepts %s, and so does readGatewayConfig',
    (_name, mcpGateway) => {
      expect(() => checkGateway(mcpGateway)).not.toThrow();
      expect(() =>
        readGatewayConfig(new ConfigReader({ mcpGateway } as JsonObject)),
      ).not.toThrow();
    },
  );

  it('declares no key the every-key example leaves out', () => {
    const set = new Set(keyPaths(everyKey));
    const declared = [...new Set(declaredPaths(gatewaySchema))];
    expect(declared.length).toBeGreaterThan(20);
    expect(declared.filter(path => !set.has(path))).toEqual([]);
  });

  it.each([
    [
      'a misspelled agent key',
      { agents: [agent({ tool: { allow: ['*'] } })] },
      'additionalProperty=tool } at /mcpGateway/agents/0',
    ],
    [
      'an unknown mcpGateway key',
      { agent: [] },
      'additionalProperty=agent } at /mcpGateway',
    ],
    [
      'a misspelled rateLimit key',
      { agents: [agent({ rateLimit: { request: 5, per: 'minute' } })] },
      'additionalProperty=request } at /mcpGateway/agents/0/rateLimit',
    ],
    [
      'a misspelled principal kind',
      { agents: [agent({ principals: [{ servce: 'bot' }] })] },
      'additionalProperty=servce } at /mcpGateway/agents/0/principals/0',
    ],
    [
      'a misspelled default agent key',
      { defaultAgent: { readonly: true } },
      'additionalProperty=readonly } at /mcpGateway/defaultAgent',
    ],
    [
      'a string where a boolean belongs',
      { agents: [agent({ readOnly: 'yes' })] },
      'must be boolean { type=boolean } at /mcpGateway/agents/0/readOnly',
    ],
    [
      'a string where a list belongs',
      { agents: [agent({ tools: { allow: 'get_entity' } })] },
      'must be array { type=array } at /mcpGateway/agents/0/tools/allow',
    ],
    [
      'an unknown rate period',
      { agents: [agent({ rateLimit: { requests: 10, per: 'fortnight' } })] },
      'at /mcpGateway/agents/0/rateLimit/per',
    ],
  ])(
    'refuses %s, and so does readGatewayConfig',
    (_name, mcpGateway, message) => {
      expect(() => checkGateway(mcpGateway)).toThrow(message);
      expect(() =>
        readGatewayConfig(new ConfigReader({ mcpGateway } as JsonObject)),
      ).toThrow('Invalid MCP gateway configuration');
    },
  );
});
