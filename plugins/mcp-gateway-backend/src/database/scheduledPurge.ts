import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';

/** Rows that outlived their use: old audit records, ended rate windows. */
export interface Purge {
  /** What it deletes, for the log (as the config in force says). */
  what(): string;
  /** Deletes what is stale as of `now` (ms); returns how many rows. */
  purge(now: number): Promise<number>;
}

/**
 * Runs every purge hourly on ONE replica (the scheduler's global tasks
 * take a lock in the database), so replicas never delete the same rows
 * twice and a restart storm does not purge on every start-up.
 */
export async function schedulePurges(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  purges: Purge[];
}): Promise<void> {
  const { scheduler, logger, purges } = options;
  await scheduler.scheduleTask({
    id: 'mcp-gateway-purge',
    frequency: { hours: 1 },
    timeout: { minutes: 15 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      for (const { what, purge } of purges) {
        const deleted = await purge(Date.now());
        if (deleted > 0) logger.info(`Deleted ${deleted} ${what()}`);
      }
    },
  });
}
