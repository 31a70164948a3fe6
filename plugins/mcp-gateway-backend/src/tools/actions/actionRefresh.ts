import {
  LoggerService,
  RootLifecycleService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ActionToolSource } from './actionToolSource';

export const ACTION_REFRESH_TASK = 'mcp-gateway-actions-refresh';

/**
 * Reads the actions once every plugin of this backend has started, then
 * again on a schedule on every replica (a `local` task), so that plugins
 * that start later, or in other backends, are picked up.
 */
export async function scheduleActionRefresh(options: {
  source: ActionToolSource;
  scheduler: SchedulerService;
  rootLifecycle: RootLifecycleService;
  everySeconds: number;
  /** `backend.actions.pluginSources`: the plugins the actions service asks. */
  pluginSources: readonly string[];
  enabled: boolean;
  logger: LoggerService;
}): Promise<void> {
  const { source, everySeconds } = options;
  if (options.enabled && options.pluginSources.length === 0) {
    options.logger.warn(
      'mcpGateway.actions.enabled is true, but backend.actions.pluginSources names no plugin: Backstage lists no actions until it does',
    );
  }
  options.rootLifecycle.addStartupHook(() => source.refresh());
  await options.scheduler.scheduleTask({
    id: ACTION_REFRESH_TASK,
    scope: 'local',
    frequency: { seconds: everySeconds },
    initialDelay: { seconds: everySeconds },
    timeout: { seconds: 60 },
    fn: () => source.refresh(),
  });
}
