import { ConfigReader } from '@backstage/config';
import { readGatewayConfig } from './gatewayConfig';

const read = (mcpGateway: unknown) =>
  readGatewayConfig(new ConfigReader({ mcpGateway } as any));

const agent = (overrides: Record<string, unknown> = {}) => ({
  id: 'incident-copilot',
  principals: [{ service: 'incident-copilot' }],
  tools: { allow: ['*'] },
  ...overrides,
});

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
    expect(readGatewayConfig(new ConfigReader({}))).toEqual({ agents: [] });
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
