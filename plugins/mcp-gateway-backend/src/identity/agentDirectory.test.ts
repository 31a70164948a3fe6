import {
  fakeUserInfo,
  serviceCredentials,
  userCredentials,
} from '../__testUtils__/unitDoubles';
import { ConfigReader } from '@backstage/config';
import { readGatewayConfig } from '../config/gatewayConfig';
import { AgentDirectory } from './agentDirectory';

const { agents } = readGatewayConfig(
  new ConfigReader({
    mcpGateway: {
      agents: [
        { id: 'portal-chat', principals: [{ actor: 'plugin:portal-ai-chat' }] },
        { id: 'alice-bot', principals: [{ user: 'user:default/alice' }] },
        { id: 'sre-crew', principals: [{ group: 'group:default/sre' }] },
        {
          id: 'platform-crew',
          principals: [{ group: 'group:default/platform' }],
        },
        { id: 'copilot', principals: [{ service: 'incident-copilot' }] },
      ],
    },
  }),
);

const directory = (ownershipEntityRefs: string[]) =>
  new AgentDirectory(agents, fakeUserInfo(ownershipEntityRefs));

const viaPlugin = (userEntityRef: string, plugin: string) => ({
  ...userCredentials(userEntityRef),
  principal: {
    type: 'user' as const,
    userEntityRef,
    actor: { type: 'service' as const, subject: plugin },
  },
});

const idOf = async (promise: Promise<{ agent: { id: string } } | undefined>) =>
  (await promise)?.agent.id;

describe('AgentDirectory precedence', () => {
  const alice = ['user:default/alice', 'group:default/sre'];

  it('matches an actor before the user it acts for', async () => {
    expect(
      await idOf(
        directory(alice).match(
          viaPlugin('user:default/alice', 'plugin:portal-ai-chat'),
        ),
      ),
    ).toBe('portal-chat');
  });

  it('falls back to the user when no agent claims the actor', async () => {
    expect(
      await idOf(
        directory(alice).match(viaPlugin('user:default/alice', 'plugin:other')),
      ),
    ).toBe('alice-bot');
  });

  it('matches a user before their groups, case-insensitively', async () => {
    expect(
      await idOf(directory(alice).match(userCredentials('user:default/Alice'))),
    ).toBe('alice-bot');
  });

  it('matches by group membership; with several matching groups the agent listed first wins', async () => {
    const bob = directory([
      'user:default/bob',
      'group:default/sre',
      'group:default/platform',
    ]);
    expect(await idOf(bob.match(userCredentials('user:default/bob')))).toBe(
      'sre-crew',
    );
  });

  it('matches a service principal by its subject only', async () => {
    expect(
      await idOf(directory([]).match(serviceCredentials('incident-copilot'))),
    ).toBe('copilot');
    expect(
      await idOf(directory([]).match(serviceCredentials('Incident-Copilot'))),
    ).toBeUndefined();
    expect(
      await idOf(
        directory([]).match(serviceCredentials('plugin:portal-ai-chat')),
      ),
    ).toBeUndefined();
  });

  it('matches nothing for a user in no configured group', async () => {
    expect(
      await idOf(
        directory(['user:default/zed']).match(
          userCredentials('user:default/zed'),
        ),
      ),
    ).toBeUndefined();
  });
});
