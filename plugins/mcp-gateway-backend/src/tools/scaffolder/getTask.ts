import { z } from 'zod';
import { defineTool } from '../types';
import { taskIdInput } from './taskInputs';
import { renderTask, taskFields, taskView } from './taskView';

/** How long get_task waits for a running task's first events. */
const FIRST_EVENTS_WAIT_MS = 2000;

export const getTaskTool = defineTool({
  name: 'get_task',
  title: 'Get a template task',
  description:
    'Reads a task that run_template started: its status, each step’s status, the log lines after a cursor, and the output (links) once it completed. ' +
    'Pass the previous answer’s logCursor as after to read only newer lines. ' +
    'Only this agent’s tasks (and the signed-in user’s own) are found.',
  access: 'read',
  idempotent: true,
  input: z.object({
    taskId: taskIdInput,
    after: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('logCursor of a previous answer: only log lines after it'),
  }),
  output: z.object(taskFields),
  async run({ tasks }, { taskId, after }) {
    const task = await tasks.get(taskId);
    // A task still waiting for a worker has no events yet: none to wait for.
    const events =
      task.status === 'open'
        ? []
        : await tasks.eventsOf(taskId, { waitMs: FIRST_EVENTS_WAIT_MS });
    return taskView(task, events, after);
  },
  render: renderTask,
});
