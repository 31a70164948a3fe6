import { z } from 'zod';
import { defineTool } from '../types';
import { taskIdInput } from './taskInputs';

export const cancelTaskTool = defineTool({
  name: 'cancel_task',
  title: 'Cancel a template task',
  description:
    'Cancels a task that run_template started and that is still open or running; the step under way stops, later steps do not run. ' +
    'A task that has finished is left as it is. Only this agent’s tasks can be cancelled.',
  access: 'write',
  idempotent: true,
  input: z.object({ taskId: taskIdInput }),
  output: z.object({
    taskId: z.string(),
    cancelled: z.boolean().describe('false: it had already finished'),
    status: z.string(),
  }),
  async run({ tasks }, { taskId }) {
    return { taskId, ...(await tasks.cancel(taskId)) };
  },
  render({ taskId, cancelled, status }) {
    return cancelled
      ? `Task ${taskId} cancelled.`
      : `Task ${taskId} had already finished (${status}); nothing was cancelled.`;
  },
});
