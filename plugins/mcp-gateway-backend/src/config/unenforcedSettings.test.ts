import { fakeLogger } from '../__testUtils__/unitDoubles';
import { ConfigReader } from '@backstage/config';
import { readGatewayConfig } from './gatewayConfig';
import { warnAboutUnenforcedSettings } from './unenforcedSettings';

const warnings = (mcpGateway: unknown) => {
  const logger = fakeLogger();
  warnAboutUnenforcedSettings(
    readGatewayConfig(new ConfigReader({ mcpGateway } as any)),
    logger,
  );
  return logger.warn.mock.calls.map(([message]) => message);
};

const agent = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  principals: [{ service: id }],
  tools: { allow: ['*'] },
  ...overrides,
});

const notEnforced =
  'is set, but this version of the MCP gateway only validates it and does not enforce it yet: it is not a protection';

describe('warnAboutUnenforcedSettings', () => {
  it('warns once per agent per unenforced key that is set, naming its config key, and not for enforced keys such as rateLimit or locations', () => {
    expect(
      warnings({
        agents: [
          agent('limited', { rateLimit: { requests: 60, per: 'minute' } }),
          agent('plain'),
          agent('scaffolder', {
            readOnly: false,
            templates: { allow: ['template:default/new-service'] },
            locations: { allow: ['https://github.com/acme/**'] },
            rateLimit: { requests: 60, per: 'minute', writes: 10 },
          }),
        ],
        defaultAgent: {
          tools: { allow: ['who_am_i'] },
          rateLimit: { requests: 10, per: 'second' },
        },
      }),
    ).toEqual([`mcpGateway.agents[scaffolder].templates ${notEnforced}`]);
  });

  it('says nothing for keys left unset or at their closed default', () => {
    expect(
      warnings({
        agents: [
          agent('plain'),
          agent('closed', {
            templates: { allow: [] },
            locations: {},
            redact: ['spec.profile.email'],
          }),
        ],
        defaultAgent: { tools: { allow: ['who_am_i'] } },
      }),
    ).toEqual([]);
    expect(warnings(undefined)).toEqual([]);
  });
});
