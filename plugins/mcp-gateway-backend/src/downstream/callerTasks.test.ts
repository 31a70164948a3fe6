import { NotFoundError, ResponseError } from '@backstage/errors';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { Caller } from '../core/caller';
import { serviceCaller, userCredentials } from '../__testUtils__/unitDoubles';
import { CallerTasks, ScaffolderTask } from './callerTasks';
import { ScaffolderTaskEvents, TaskEvent } from './scaffolderTaskEvents';
import { StartedTask, StartedTasks } from './startedTasks';

const TASK_ID = '6f1c2a44-8f0e-4c41-9d1e-2b7c0e5a9f10';

function taskOf(status: string, createdBy?: string): ScaffolderTask {
  return {
    id: TASK_ID,
    spec: { steps: [] },
    status,
    createdAt: '2026-11-22T10:00:00.000Z',
    ...(createdBy && { createdBy }),
  } as unknown as ScaffolderTask;
}

/** CallerTasks over a scaffolder holding one task, and the gateway's record of it. */
function tasksFor(
  caller: Caller,
  options: {
    task?: ScaffolderTask | Error;
    record?: Omit<StartedTask, 'taskId' | 'templateRef' | 'createdAt'>;
    events?: Array<Pick<TaskEvent, 'type'>>;
  },
) {
  const scaffolder = scaffolderServiceMock.mock({
    getTask: jest.fn(async () => {
      if (options.task instanceof Error) throw options.task;
      if (!options.task) throw new NotFoundError('no such task');
      return options.task;
    }),
    cancelTask: jest.fn(async () => ({ status: 'cancelled' as const })),
  });
  const started = {
    find: jest.fn(async (taskId: string) =>
      options.record && taskId === TASK_ID
        ? {
            taskId,
            templateRef: 'template:default/x',
            createdAt: 0,
            ...options.record,
          }
        : undefined,
    ),
  } as unknown as StartedTasks;
  const events = {
    read: jest.fn(async () => options.events ?? []),
  } as unknown as ScaffolderTaskEvents;
  const tasks = new CallerTasks(
    scaffolder,
    events,
    started,
    caller,
    new AbortController().signal,
  );
  return { tasks, scaffolder };
}

const automation = serviceCaller({ id: 'automation' });
const allTasks = serviceCaller({ id: 'support', templates: { tasks: 'all' } });
const asUser = (user: string): Caller => ({
  ...serviceCaller({ id: 'portal' }),
  principal: user,
  principalType: 'user',
  user,
  credentials: userCredentials(user),
});
const notFound = `No task ${TASK_ID} of this agent.`;

describe('CallerTasks', () => {
  it('finds a task this agent started for the same principal', async () => {
    const { tasks } = tasksFor(automation, {
      task: taskOf('completed'),
      record: { agentId: 'automation', owner: 'automation' },
    });
    expect((await tasks.get(TASK_ID)).status).toBe('completed');
  });

  it("does not find another agent's task, and asks the scaffolder nothing", async () => {
    const { tasks, scaffolder } = tasksFor(automation, {
      task: taskOf('completed'),
      record: { agentId: 'other', owner: 'automation' },
    });
    await expect(tasks.get(TASK_ID)).rejects.toThrow(notFound);
    await expect(tasks.cancel(TASK_ID)).rejects.toThrow(notFound);
    expect(scaffolder.getTask).not.toHaveBeenCalled();
    expect(scaffolder.cancelTask).not.toHaveBeenCalled();
  });

  it('does not find the task the same agent started for another user', async () => {
    const { tasks } = tasksFor(asUser('user:default/ivan'), {
      task: taskOf('completed', 'user:default/carol'),
      record: { agentId: 'portal', owner: 'user:default/carol' },
    });
    await expect(tasks.get(TASK_ID)).rejects.toThrow(notFound);
  });

  it("finds the signed-in user's own task, started outside the gateway", async () => {
    const { tasks } = tasksFor(asUser('user:default/carol'), {
      task: taskOf('processing', 'user:default/carol'),
    });
    expect((await tasks.get(TASK_ID)).status).toBe('processing');
  });

  it('says "not found" for a task the scaffolder forbids or does not have', async () => {
    const forbidden = await ResponseError.fromResponse(
      new Response('{}', { status: 403, statusText: 'Forbidden' }),
    );
    for (const task of [undefined, forbidden]) {
      const { tasks } = tasksFor(allTasks, { task });
      await expect(tasks.get(TASK_ID)).rejects.toThrow(notFound);
    }
  });

  it('reaches any task the caller may read with templates.tasks: all', async () => {
    const { tasks } = tasksFor(allTasks, { task: taskOf('open') });
    expect((await tasks.get(TASK_ID)).status).toBe('open');
  });

  it('reads a failed task with a cancellation event as cancelled, and leaves it be', async () => {
    const { tasks, scaffolder } = tasksFor(automation, {
      task: taskOf('failed'),
      record: { agentId: 'automation', owner: 'automation' },
      events: [{ type: 'log' }, { type: 'cancelled' }, { type: 'completion' }],
    });
    expect((await tasks.get(TASK_ID)).status).toBe('cancelled');
    expect(await tasks.cancel(TASK_ID)).toEqual({
      cancelled: false,
      status: 'cancelled',
    });
    expect(scaffolder.cancelTask).not.toHaveBeenCalled();
  });

  it('cancels its own running task', async () => {
    const { tasks, scaffolder } = tasksFor(automation, {
      task: taskOf('processing'),
      record: { agentId: 'automation', owner: 'automation' },
    });
    expect(await tasks.cancel(TASK_ID)).toEqual({
      cancelled: true,
      status: 'cancelled',
    });
    expect(scaffolder.cancelTask).toHaveBeenCalledWith(
      { taskId: TASK_ID },
      { credentials: automation.credentials },
    );
  });

  it("scrubs the secrets it was sent from a dry run's answer", async () => {
    const scaffolder = scaffolderServiceMock.mock({
      dryRun: jest.fn(async () => ({
        log: [{ body: { message: 'token is tok-9f8e7d6c' } }],
        steps: [],
        output: { text: [{ content: 'deployed with tok-9f8e7d6c, pin 42' }] },
        directoryContents: [],
      })),
    });
    const tasks = new CallerTasks(
      scaffolder,
      {} as ScaffolderTaskEvents,
      {} as StartedTasks,
      automation,
      new AbortController().signal,
    );
    const result = await tasks.dryRun({
      template: {} as any,
      values: {},
      secrets: { token: 'tok-9f8e7d6c', pin: '42' },
      directoryContents: [],
    });
    expect(result.log[0].body.message).toBe('token is [secret]');
    // Too short to scrub without garbling the text.
    expect(result.output).toEqual({
      text: [{ content: 'deployed with [secret], pin 42' }],
    });
  });
});
