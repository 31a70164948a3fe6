import { z } from 'zod';

/** A scaffolder task id: a UUID, so that nothing else reaches its URLs. */
export const taskIdInput = z
  .string()
  .trim()
  .toLowerCase()
  .uuid('must be a task id as run_template or list_tasks returned it')
  .describe('The task id run_template returned');
