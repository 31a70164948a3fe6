import { JsonObject } from '@backstage/types';
import { stripVTControlCharacters } from 'node:util';
import { z } from 'zod';
import { DryRunRequest, TaskEvent } from '../../downstream/callerTasks';
import { defineTool, ToolContext } from '../types';
import { templateRefInput } from './getTemplate';
import { prepareValues } from './templateValues';
import { dryRunView, renderTask, taskFields, taskView } from './taskView';

/** The longest a call waits for its task, whatever it asks. */
export const MAX_WAIT_SECONDS = 60;

const dryRunFields = {
  files: z
    .array(
      z.object({
        path: z.string(),
        bytes: z.number().int(),
        executable: z.boolean().optional(),
      }),
    )
    .optional()
    .describe('The files the task would write to its workspace (dry run)'),
};

export const runTemplateTool = defineTool({
  name: 'run_template',
  title: 'Run a template',
  description:
    'Starts a software template (scaffolder task) this agent is allowed to run, with values that match get_template’s parameters. ' +
    'The values are checked first: every missing or invalid field is named, and no task starts. ' +
    'Secret parameters go in secrets, never in values; they are never stored, logged or shown. ' +
    'Returns the task id and status at once; with waitSeconds (up to 60) it waits for the task to finish, streaming its steps as progress. ' +
    'A task keeps running after the call returns: follow it with get_task. ' +
    'dryRun: true shows the steps, log, output and files it would produce, and starts nothing.',
  access: 'write',
  idempotent: false,
  input: z.object({
    templateRef: templateRefInput,
    values: z
      .record(z.string().max(200), z.unknown())
      .default({})
      .describe('The parameters, by name, as get_template describes them'),
    secrets: z
      .record(z.string().min(1).max(200), z.string().max(10_000))
      .refine(secrets => Object.keys(secrets).length <= 50, {
        message: 'at most 50 secrets',
      })
      .default({})
      .describe('Secret parameters (get_template’s secretFields), by name'),
    dryRun: z
      .boolean()
      .default(false)
      .describe('true: show what the template would do, start nothing'),
    waitSeconds: z
      .number()
      .int()
      .min(0)
      .max(MAX_WAIT_SECONDS)
      .default(0)
      .describe('Wait up to this long (0 to 60) for the task to finish'),
  }),
  output: z.object({
    dryRun: z.boolean(),
    ...taskFields,
    taskId: taskFields.taskId.optional().describe('Absent for a dry run'),
    ...dryRunFields,
  }),
  targets: ({ templateRef }) => ({ template: templateRef }),
  async run(ctx, input) {
    const { templates, tasks } = ctx;
    const { parameters, template } = await templates.definition(
      input.templateRef,
    );
    const spec = (template.spec ?? {}) as JsonObject;
    const prepared = prepareValues({
      steps: parameters.steps,
      secretsSchema: (spec.secrets as JsonObject | undefined)?.schema,
      values: input.values as JsonObject,
      secrets: input.secrets,
    });
    if (input.dryRun) {
      const result = await tasks.dryRun({
        // The scaffolder checks it is a template before running it.
        template: template as DryRunRequest['template'],
        values: prepared.values,
        secrets: prepared.secrets,
        directoryContents: await templates.files(template),
      });
      return { dryRun: true, ...dryRunView(template, result) };
    }
    const taskId = await tasks.start({
      templateRef: input.templateRef,
      ...prepared,
    });
    const events = await follow(ctx, taskId, input.waitSeconds);
    return { dryRun: false, ...taskView(await tasks.get(taskId), events) };
  },
  render({ taskId, ...result }) {
    if (taskId !== undefined) return renderTask({ ...result, taskId });
    const files = result.files ?? [];
    return [
      `Dry run of ${result.templateRef}: nothing was started.`,
      renderTask({ ...result, taskId: '(dry run)', templateRef: undefined }),
      files.length
        ? `Files it would write:\n${files.map(f => `- ${f.path} (${f.bytes} bytes)`).join('\n')}`
        : 'It would write no files.',
    ].join('\n');
  },
});

/**
 * The task's events while the call waits for it (at most `waitSeconds`),
 * each step event passed on as progress. Returns at once when the task
 * finishes; a call that is cut stops waiting, the task goes on.
 */
async function follow(
  { tasks, progress }: ToolContext,
  taskId: string,
  waitSeconds: number,
): Promise<TaskEvent[]> {
  const deadline = Date.now() + waitSeconds * 1000;
  const seen: TaskEvent[] = [];
  while (Date.now() < deadline) {
    const batch = await tasks.eventsOf(taskId, {
      after: seen.length ? seen[seen.length - 1].id : undefined,
      waitMs: deadline - Date.now(),
    });
    if (batch.length === 0) break;
    for (const event of batch) {
      seen.push(event);
      if (event.type === 'log' || event.type === 'completion') {
        await progress({
          progress: seen.length,
          message: stripVTControlCharacters(event.body.message ?? ''),
        });
      }
    }
    if (batch.some(event => isFinal(event))) break;
  }
  return seen;
}

function isFinal(event: TaskEvent): boolean {
  return event.type === 'completion' || event.type === 'cancelled';
}
