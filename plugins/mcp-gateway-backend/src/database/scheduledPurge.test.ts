import { SchedulerService } from '@backstage/backend-plugin-api';
import { fakeLogger } from '../__testUtils__/unitDoubles';
import { schedulePurges } from './scheduledPurge';

describe('schedulePurges', () => {
  it('schedules one global task that runs every purge and logs what it deleted', async () => {
    const scheduleTask = jest.fn();
    const logger = fakeLogger();
    const purged: number[] = [];
    await schedulePurges({
      scheduler: { scheduleTask } as unknown as SchedulerService,
      logger,
      purges: [
        {
          what: () => 'old records',
          purge: async now => {
            purged.push(now);
            return 3;
          },
        },
        { what: () => 'ended windows', purge: async () => 0 },
      ],
    });
    expect(scheduleTask).toHaveBeenCalledTimes(1);
    const [task] = scheduleTask.mock.calls[0];
    // Not `scope: 'local'`: the scheduler runs a global task on one replica.
    expect(task).toMatchObject({
      id: 'mcp-gateway-purge',
      frequency: { hours: 1 },
    });
    expect(task.scope).toBeUndefined();
    await task.fn();
    expect(purged).toHaveLength(1);
    expect(logger.info).toHaveBeenCalledTimes(1);
    expect(logger.info).toHaveBeenCalledWith('Deleted 3 old records');
  });
});
