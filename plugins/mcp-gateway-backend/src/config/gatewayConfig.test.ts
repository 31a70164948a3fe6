import { ConfigReader } from '@backstage/config';
import { DEFAULT_SEARCH_TYPES, readGatewayConfig } from './gatewayConfig';
import { agent, fullPolicyAgent } from './__fixtures__/agents';

const read = (mcpGateway: unknown) =>
  readGatewayConfig(new ConfigReader({ mcpGateway } as any));

describe('readGatewayConfig', () => {
  it('reads agents, defaulting tools to none (closed by default)', () => {
    const config = read({
      agents: [
        agent(),
        agent({
          id: 'quiet',
          principals: [{ user: 'user:default/alice' }],
          tools: undefined,
        }),
      ],
    });
    expect(config.agents[0].tools).toEqual({ allow: ['*'], deny: [] });
    expect(config.agents[1].tools).toEqual({ allow: [], deny: [] });
  });

  it('accepts no mcpGateway section at all, with no agents', () => {
    expect(readGatewayConfig(new ConfigReader({}))).toEqual({
      agents: [],
      allowedOrigins: [],
      defaultAgent: undefined,
      policies: [],
      killSwitch: false,
      admins: [],
      audit: { failurePolicy: 'closed', retentionDays: 90 },
      locationGuard: { allowedHosts: [] },
      search: { types: DEFAULT_SEARCH_TYPES },
      actions: {
        enabled: false,
        include: ['*'],
        exclude: [],
        refreshSeconds: 30,
      },
    });
  });

  it.each([
    [
      { include: ['catalog:[a-z]*'] },
      "mcpGateway.actions.include[0]: 'catalog:[a-z]*' uses '['",
    ],
    [
      { exclude: ['catalog/get'] },
      'mcpGateway.actions.exclude[0]: must be an action id pattern',
    ],
    [{ refreshSeconds: 1 }, 'mcpGateway.actions.refreshSeconds'],
    [{ enabeld: true }, 'mcpGateway.actions'],
  ])('refuses actions config %j', (actions, message) => {
    expect(() => read({ actions })).toThrow(message);
  });

  it('closes every policy key by default: read-only, enabled, no templates, no locations', () => {
    const [parsed] = read({ agents: [agent()] }).agents;
    expect(parsed).toMatchObject({
      readOnly: true,
      enabled: true,
      templates: { allow: [] },
      locations: { allow: [] },
      resources: { allow: [] },
      prompts: { allow: ['*'] },
      redact: [],
      entities: { exclude: { kinds: [], namespaces: [], tags: [] } },
      configKey: 'mcpGateway.agents[incident-copilot]',
    });
    expect(parsed.rateLimit).toBeUndefined();
  });

  it('reads the full policy vocabulary', () => {
    const [parsed] = read({
      agents: [fullPolicyAgent()],
    }).agents;
    expect(parsed).toMatchObject({
      readOnly: false,
      enabled: false,
      entities: {
        kinds: ['Component'],
        namespaces: ['default'],
        exclude: { tags: ['restricted'] },
      },
      rateLimit: { requests: 120, per: 'minute', writes: 10 },
    });
  });

  it('reads a default agent for callers no agent claims', () => {
    const config = read({
      agents: [],
      defaultAgent: { tools: { allow: ['who_am_i'] } },
    });
    expect(config.policies).toEqual([config.defaultAgent]);
    expect(config.defaultAgent).toMatchObject({
      id: 'default',
      principals: [],
      configKey: 'mcpGateway.defaultAgent',
      readOnly: true,
      tools: { allow: ['who_am_i'], deny: [] },
    });
  });

  it.each([
    [
      { agents: [agent({ id: 'Incident Copilot' })] },
      'mcpGateway.agents[0].id: must be lowercase letters, digits and dashes',
    ],
    [
      { agents: [agent({ principals: [] })] },
      'mcpGateway.agents[0].principals: must list at least one principal',
    ],
    [
      { agents: [agent({ principals: [{ actor: 'portal-ai-chat' }] })] },
      'mcpGateway.agents[0].principals[0].actor: must look like plugin:<plugin id>',
    ],
    [
      { agents: [agent({ principals: [{ user: 'alice' }] })] },
      'mcpGateway.agents[0].principals[0].user: must be a full user ref: user:<namespace>/<name>',
    ],
    [
      { agents: [agent({ principals: [{ servce: 'bot' }] })] },
      'mcpGateway.agents[0].principals[0]: must be one of { service }, { actor }, { user } or { group }',
    ],
    [
      { agents: [agent({ tool: { allow: ['*'] } })] },
      'mcpGateway.agents[0]: Unrecognized key: "tool"',
    ],
    [
      { agents: [agent({ tools: { allow: 'get_entity' } })] },
      'mcpGateway.agents[0].tools.allow: Invalid input: expected array',
    ],
    [{ agent: [] }, 'mcpGateway: Unrecognized key: "agent"'],
    [
      { locationGuard: { allowedHosts: ['https://ghe.acme.internal'] } },
      "mcpGateway.locationGuard.allowedHosts[0]: 'https://ghe.acme.internal' has an invalid port; write a host name, *.domain or IP address, with an optional :port",
    ],
    [
      { locationGuard: { allowedHosts: ['*'] } },
      "mcpGateway.locationGuard.allowedHosts[0]: '*' is neither a host name, a *.domain wildcard nor an IP address",
    ],
    [
      { agents: [agent({ id: 'default' })] },
      'mcpGateway.agents[0].id: is reserved for mcpGateway.defaultAgent',
    ],
    [
      { agents: [agent({ readOnly: 'yes' })] },
      'mcpGateway.agents[0].readOnly: Invalid input: expected boolean',
    ],
    [
      { agents: [agent({ templates: { allow: ['new-service'] } })] },
      'mcpGateway.agents[0].templates.allow[0]: must be a template ref pattern, e.g. template:default/new-service',
    ],
    [
      { agents: [agent({ locations: { allow: ['github.com/acme'] } })] },
      'mcpGateway.agents[0].locations.allow[0]: must be an http(s) URL pattern, e.g. https://github.com/acme/*',
    ],
    [
      { agents: [agent({ redact: ['spec profile'] })] },
      'mcpGateway.agents[0].redact[0]: must be an entity field path',
    ],
    [
      { agents: [agent({ entities: { exclude: { tag: ['x'] } } })] },
      'mcpGateway.agents[0].entities.exclude: Unrecognized key: "tag"',
    ],
    [
      { agents: [agent({ rateLimit: { requests: 0, per: 'minute' } })] },
      'mcpGateway.agents[0].rateLimit.requests: Too small',
    ],
    [
      { agents: [agent({ rateLimit: { requests: 10, per: 'fortnight' } })] },
      'mcpGateway.agents[0].rateLimit.per: Invalid option',
    ],
    [
      { defaultAgent: { id: 'x' } },
      'mcpGateway.defaultAgent: Unrecognized key: "id"',
    ],
    // Patterns that other glob dialects would read as wider than they look.
    [
      { agents: [agent({ tools: { allow: ['!refresh_entity'] } })] },
      "mcpGateway.agents[0].tools.allow[0]: '!refresh_entity' uses '!', which patterns do not support",
    ],
    [
      { agents: [agent({ tools: { deny: ['{refresh,run}_*'] } })] },
      "mcpGateway.agents[0].tools.deny[0]: '{refresh,run}_*' uses '{'",
    ],
    [
      { agents: [agent({ tools: { allow: ['@(who_am_i)'] } })] },
      "mcpGateway.agents[0].tools.allow[0]: '@(who_am_i)' uses '('",
    ],
    [
      {
        agents: [agent({ templates: { allow: ['template:default/+(x|y)'] } })],
      },
      "mcpGateway.agents[0].templates.allow[0]: 'template:default/+(x|y)' uses '('",
    ],
    [
      { agents: [agent({ tools: { allow: ['who am i'] } })] },
      'mcpGateway.agents[0].tools.allow[0]: must be a tool name pattern, e.g. get_entity or list_*',
    ],
    [
      {
        agents: [
          agent({ locations: { allow: ['https://github.com/{acme,evil}/*'] } }),
        ],
      },
      "mcpGateway.agents[0].locations.allow[0]: 'https://github.com/{acme,evil}/*' uses '{'",
    ],
    [
      {
        agents: [
          agent({ locations: { allow: ['https://github.com/acme/?'] } }),
        ],
      },
      "mcpGateway.agents[0].locations.allow[0]: 'https://github.com/acme/?' uses '?'",
    ],
    [
      { agents: [agent({ redact: ['spec.***'] })] },
      "mcpGateway.agents[0].redact[0]: 'spec.***' has a run of three or more '*'",
    ],
    [
      { defaultAgent: { tools: { allow: ['!x'] } } },
      "mcpGateway.defaultAgent.tools.allow[0]: '!x' uses '!'",
    ],
    [
      { allowedOrigins: ['https://portal.acme.example/path'] },
      'mcpGateway.allowedOrigins[0]: must be an origin pattern',
    ],
    [
      { allowedOrigins: ['https://{a,b}.acme.example'] },
      "mcpGateway.allowedOrigins[0]: 'https://{a,b}.acme.example' uses '{'",
    ],
    [
      { agents: [agent({ resources: { allow: ['entity/*'] } })] },
      'mcpGateway.agents[0].resources.allow[0]: must be a resource name pattern, e.g. entity or techdocs',
    ],
    [
      { agents: [agent({ prompts: { allow: ['Incident Response'] } })] },
      'mcpGateway.agents[0].prompts.allow[0]: must be a prompt name pattern',
    ],
    [
      { search: { types: [{ type: 'Tech Docs', description: 'docs' }] } },
      'mcpGateway.search.types[0].type: must be a search document type',
    ],
  ])(
    'stops start-up on invalid config, naming the key (%#)',
    (mcpGateway, message) => {
      expect(() => read(mcpGateway)).toThrow(message);
    },
  );

  it('refuses two agents with the same id', () => {
    expect(() =>
      read({
        agents: [agent(), agent({ principals: [{ service: 'other' }] })],
      }),
    ).toThrow(
      "mcpGateway.agents[1].id: 'incident-copilot' is already used by mcpGateway.agents[0]",
    );
  });

  it('refuses two agents claiming the same principal', () => {
    expect(() =>
      read({
        agents: [
          agent({ principals: [{ group: 'group:default/sre' }] }),
          agent({ id: 'other', principals: [{ group: 'Group:default/SRE' }] }),
        ],
      }),
    ).toThrow(
      "mcpGateway.agents[1].principals: group group:default/sre is already claimed by agent 'incident-copilot'",
    );
  });
});
