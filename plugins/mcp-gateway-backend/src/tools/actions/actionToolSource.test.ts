import { ActionsServiceAction } from '@backstage/backend-plugin-api/alpha';
import { mockServices } from '@backstage/backend-test-utils';
import {
  ActionsConfig,
  DEFAULT_ACTIONS_CONFIG,
} from '../../config/gatewayConfig';
import { listedAction } from '../../__testUtils__/listedActions';
import { fakeLogger } from '../../__testUtils__/unitDoubles';
import { ActionToolSource } from './actionToolSource';

function sourceOver(
  listed: () => Promise<ActionsServiceAction[]>,
  config: Partial<ActionsConfig> = {},
) {
  const logger = fakeLogger();
  const list = jest.fn(async () => ({ actions: await listed() }));
  let current: ActionsConfig = {
    ...DEFAULT_ACTIONS_CONFIG,
    enabled: true,
    ...config,
  };
  const source = new ActionToolSource({
    actions: { list, invoke: jest.fn() },
    auth: mockServices.auth(),
    config: () => current,
    logger,
  });
  return {
    source,
    list,
    logger,
    reconfigure: (next: Partial<ActionsConfig>) => {
      current = { ...current, ...next };
    },
    names: async () => (await source.toolsFor()).map(t => t.operation.name),
  };
}

const action = (
  pluginId: string,
  name: string,
  extra: Partial<ActionsServiceAction> = {},
) => listedAction({ id: `${pluginId}:${name}`, pluginId, name, ...extra });

describe('ActionToolSource', () => {
  it('serves what the registry lists, read in the background and never per call', async () => {
    const { source, list, names } = sourceOver(async () => [
      action('demo', 'greet'),
      action('demo', 'delete-thing'),
    ]);
    expect(await names()).toEqual([]);
    await source.refresh();
    expect(list).toHaveBeenCalledTimes(1);
    expect(await names()).toEqual([
      'action_demo_greet',
      'action_demo_delete_thing',
    ]);
    await source.toolFor(undefined, 'action_demo_greet');
    await source.operationNamed('action_demo_greet');
    await source.toolsFor();
    expect(list).toHaveBeenCalledTimes(1);
    // Listed as the gateway itself: metadata, not a caller's data.
    expect(list.mock.calls[0]).toEqual([
      {
        credentials: expect.objectContaining({
          principal: expect.objectContaining({ type: 'service' }),
        }),
      },
    ]);
  });

  it('keeps what it served when a refresh fails, and picks up actions listed later', async () => {
    let answer: () => ActionsServiceAction[] = () => [action('demo', 'greet')];
    const { source, names, logger } = sourceOver(async () => answer());
    await source.refresh();
    answer = () => {
      throw new Error('registry down');
    };
    await source.refresh();
    expect(await names()).toEqual(['action_demo_greet']);
    expect(logger.warn).toHaveBeenCalledWith(
      'Could not read the actions registry; serving the actions read before',
      expect.any(Error),
    );
    answer = () => [action('demo', 'greet'), action('late', 'wave')];
    await source.refresh();
    expect(await names()).toEqual(['action_demo_greet', 'action_late_wave']);
    expect(logger.info).toHaveBeenLastCalledWith(
      'Actions served as tools: 2; new: action_late_wave',
    );
    answer = () => [action('late', 'wave')];
    await source.refresh();
    expect(
      await source.toolFor(undefined, 'action_demo_greet'),
    ).toBeUndefined();
  });

  it("never serves an action that one of the gateway's own tools supersedes", async () => {
    const { source, names, logger } = sourceOver(async () => [
      action('catalog', 'get-catalog-entity'),
      action('catalog', 'validate-entity'),
      action('scaffolder', 'execute-template'),
    ]);
    await source.refresh();
    expect(await names()).toEqual(['action_catalog_validate_entity']);
    expect(logger.info).toHaveBeenCalledWith(
      "Action 'catalog:get-catalog-entity' is not served: the gateway's own get_entity does the same under the agent's policy",
    );
  });

  it('refuses actions whose names collide, naming both, once', async () => {
    const { source, names, logger } = sourceOver(async () => [
      action('demo', 'get-thing'),
      action('demo', 'get_thing'),
      action('demo', 'other'),
    ]);
    await source.refresh();
    await source.refresh();
    expect(await names()).toEqual(['action_demo_other']);
    const collisions = logger.warn.mock.calls.filter(([m]) =>
      /share the tool name/.test(m),
    );
    expect(collisions).toEqual([
      [
        "Actions 'demo:get-thing' and 'demo:get_thing' are not served: they would share the tool name action_demo_get_thing",
      ],
    ]);
  });

  it('refuses actions it cannot serve faithfully, saying why', async () => {
    const { source, names, logger } = sourceOver(async () => [
      action('demo', 'needs-secrets', {
        schema: { ...listedAction().schema, secrets: { type: 'object' } },
      }),
      action('demo', 'listy', {
        schema: { input: { type: 'array' }, output: {} },
      }),
      action('demo', 'fine'),
    ]);
    await source.refresh();
    expect(await names()).toEqual(['action_demo_fine']);
    expect(logger.warn.mock.calls.map(([m]) => m)).toEqual([
      "Action 'demo:needs-secrets' is not served: it needs secrets, which the gateway does not take from agents",
      "Action 'demo:listy' is not served: its input schema does not describe an object",
    ]);
  });

  it('applies include, exclude and enabled from the live config, on every request', async () => {
    const { source, names, reconfigure } = sourceOver(
      async () => [
        action('demo', 'greet'),
        action('demo', 'delete-thing'),
        action('other', 'x'),
      ],
      { include: ['demo:*'], exclude: ['demo:delete-*'] },
    );
    await source.refresh();
    expect(await names()).toEqual(['action_demo_greet']);
    expect(
      await source.toolFor(undefined, 'action_demo_delete_thing'),
    ).toBeUndefined();
    expect(await source.operationNamed('action_other_x')).toBeUndefined();
    reconfigure({ exclude: [] });
    expect(await names()).toEqual([
      'action_demo_greet',
      'action_demo_delete_thing',
    ]);
    reconfigure({ enabled: false });
    expect(await names()).toEqual([]);
    expect(
      await source.toolFor(undefined, 'action_demo_greet'),
    ).toBeUndefined();
  });

  it('reads nothing while actions are off', async () => {
    const { source, list } = sourceOver(async () => [], { enabled: false });
    await source.refresh();
    expect(list).not.toHaveBeenCalled();
  });
});
