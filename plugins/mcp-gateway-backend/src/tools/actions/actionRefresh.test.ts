import { mockServices } from '@backstage/backend-test-utils';
import { fakeLogger } from '../../__testUtils__/unitDoubles';
import { ACTION_REFRESH_TASK, scheduleActionRefresh } from './actionRefresh';
import { ActionToolSource } from './actionToolSource';

async function scheduled(enabled: boolean, pluginSources: string[]) {
  const logger = fakeLogger();
  const scheduler = mockServices.scheduler.mock();
  const rootLifecycle = mockServices.rootLifecycle.mock();
  const source = { refresh: jest.fn() } as unknown as ActionToolSource;
  await scheduleActionRefresh({
    source,
    scheduler,
    rootLifecycle,
    everySeconds: 45,
    pluginSources,
    enabled,
    logger,
  });
  return { logger, scheduler, rootLifecycle, source };
}

describe('scheduleActionRefresh', () => {
  it('reads once the backend has started, then on a local schedule', async () => {
    const { scheduler, rootLifecycle, source } = await scheduled(true, [
      'catalog',
    ]);
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: ACTION_REFRESH_TASK,
        scope: 'local',
        frequency: { seconds: 45 },
        initialDelay: { seconds: 45 },
      }),
    );
    expect(source.refresh).not.toHaveBeenCalled();
    const [hook] = rootLifecycle.addStartupHook.mock.calls[0];
    await hook();
    expect(source.refresh).toHaveBeenCalledTimes(1);
  });

  it('warns when actions are on but Backstage is told to list no plugin', async () => {
    const off = await scheduled(true, ['catalog']);
    expect(off.logger.warn).not.toHaveBeenCalled();
    const on = await scheduled(true, []);
    expect(on.logger.warn).toHaveBeenCalledWith(
      'mcpGateway.actions.enabled is true, but backend.actions.pluginSources names no plugin: Backstage lists no actions until it does',
    );
    expect((await scheduled(false, [])).logger.warn).not.toHaveBeenCalled();
  });
});
