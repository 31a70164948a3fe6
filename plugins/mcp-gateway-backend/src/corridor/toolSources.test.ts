import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_ACTIONS_CONFIG } from '../config/gatewayConfig';
import { listedAction } from '../__testUtils__/listedActions';
import { fakeLogger } from '../__testUtils__/unitDoubles';
import { ActionToolSource } from '../tools/actions/actionToolSource';
import { createGatewayToolSource } from '../tools/registry';
import { ToolSources } from './toolSources';

describe('ToolSources.resourceOf', () => {
  it("loads the operation resource of the gateway's tools and of action tools by their refs", async () => {
    const actions = new ActionToolSource({
      actions: {
        list: async () => ({
          actions: [
            listedAction({
              id: 'demo:delete-thing',
              pluginId: 'demo',
              name: 'delete-thing',
              attributes: {
                readOnly: false,
                destructive: true,
                idempotent: false,
              },
            }),
          ],
        }),
        invoke: jest.fn(),
      },
      auth: mockServices.auth(),
      config: () => ({ ...DEFAULT_ACTIONS_CONFIG, enabled: true }),
      logger: fakeLogger(),
    });
    await actions.refresh();
    const sources = new ToolSources(
      [createGatewayToolSource(), actions],
      fakeLogger(),
    );
    expect(await sources.resourceOf('bot:tool:get_entity')).toEqual({
      agentId: 'bot',
      kind: 'tool',
      name: 'get_entity',
      access: 'read',
      source: 'gateway',
    });
    expect(
      await sources.resourceOf('bot:tool:action_demo_delete_thing'),
    ).toEqual({
      agentId: 'bot',
      kind: 'tool',
      name: 'action_demo_delete_thing',
      access: 'destructive',
      source: 'demo',
    });
    // Tools are named, not identified by action id; an id with ':' is no tool.
    expect(
      await sources.resourceOf('bot:tool:demo:delete-thing'),
    ).toBeUndefined();
  });
});
