import { stripVTControlCharacters } from 'node:util';
import { z } from 'zod';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  DryRunResult,
  FINISHED,
  ScaffolderTask,
  TaskEvent,
} from '../../downstream/callerTasks';

/** Log lines one answer carries at most; the cursor fetches the rest. */
export const MAX_LOG_LINES = 200;
/** A log line longer than this is cut. */
const MAX_LINE_LENGTH = 2000;

const step = z.object({
  id: z.string(),
  name: z.string(),
  action: z.string().optional(),
  status: z
    .string()
    .describe('open, processing, completed, failed, skipped or cancelled'),
});

const logLine = z.object({
  id: z.number().int().optional(),
  step: z.string().optional(),
  message: z.string(),
});

/** A task as get_task and run_template show it. */
export const taskFields = {
  taskId: z.string(),
  templateRef: z.string().optional(),
  status: z
    .string()
    .describe('open, processing, completed, failed or cancelled'),
  createdAt: z.string().optional(),
  steps: z.array(step),
  log: z.array(logLine).describe('Log lines after the cursor, oldest first'),
  logCursor: z
    .number()
    .int()
    .optional()
    .describe('Pass as after to get_task for the lines that follow'),
  output: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("The template's output once completed: links, text, values"),
  error: z.string().optional().describe('Why the task failed'),
};

export type TaskView = z.input<z.ZodObject<typeof taskFields>>;

/**
 * The task as an agent reads it: its status, each step's status (from the
 * step events), the log lines after a cursor (colour codes removed), and
 * the template's output once it has completed.
 */
export function taskView(
  task: ScaffolderTask,
  events: readonly TaskEvent[],
  after?: number,
): TaskView {
  const stepStatus = new Map<string, string>();
  let output: Record<string, unknown> | undefined;
  let error: string | undefined;
  for (const event of events) {
    const body = event.body as TaskEvent['body'] & { output?: unknown };
    if (body.stepId && body.status) stepStatus.set(body.stepId, body.status);
    if (event.type === 'completion') {
      if (isRecord(body.output)) output = body.output;
      if (task.status === 'failed') error = clean(body.message);
    }
  }
  const steps = (task.spec.steps ?? []).map(s => ({
    id: s.id,
    name: s.name ?? s.id,
    action: s.action,
    status:
      stepStatus.get(s.id) ?? (task.status === 'open' ? 'open' : 'waiting'),
  }));
  const names = new Map(steps.map(s => [s.id, s.name]));
  const lines = events
    .filter(
      event =>
        event.type === 'log' && (after === undefined || event.id > after),
    )
    .slice(0, MAX_LOG_LINES);
  const log = lines.map(event => ({
    id: event.id,
    ...(event.body.stepId && {
      step: names.get(event.body.stepId) ?? event.body.stepId,
    }),
    message: clean(event.body.message),
  }));
  const lastId = lines.length ? lines[lines.length - 1].id : after;
  return {
    taskId: task.id,
    templateRef: task.spec.templateInfo?.entityRef,
    status: task.status,
    createdAt: task.createdAt,
    steps,
    log,
    ...(lastId !== undefined && { logCursor: lastId }),
    ...(output && { output }),
    ...(error && { error }),
  };
}

/**
 * A dry run as an agent reads it: the steps with the status each reached,
 * the log (colour codes removed), the output, and the files the task would
 * write, by path and size (their content stays in the scaffolder).
 */
export function dryRunView(template: Entity, result: DryRunResult) {
  const stepStatus = new Map<string, string>();
  for (const { body } of result.log) {
    if (body.stepId && body.status) stepStatus.set(body.stepId, body.status);
  }
  const names = new Map(result.steps.map(s => [s.id, s.name ?? s.id]));
  return {
    templateRef: stringifyEntityRef(template),
    status: 'dry-run',
    steps: result.steps.map(s => ({
      id: s.id,
      name: s.name ?? s.id,
      action: s.action,
      // A step that logged no status did not run (its `if` was false).
      status: stepStatus.get(s.id) ?? 'skipped',
    })),
    log: result.log.slice(0, MAX_LOG_LINES).map(({ body }) => ({
      ...(body.stepId && { step: names.get(body.stepId) ?? body.stepId }),
      message: clean(body.message),
    })),
    output: (result.output ?? {}) as Record<string, unknown>,
    files: result.directoryContents.map(file => ({
      path: file.path,
      bytes: Buffer.from(file.base64Content, 'base64').length,
      ...(file.executable && { executable: true }),
    })),
  };
}

/** A task as a few lines of text. */
export function renderTask(
  task: z.output<z.ZodObject<typeof taskFields>>,
): string {
  const lines = [
    `Task ${task.taskId}${task.templateRef ? ` (${task.templateRef})` : ''}: ${task.status}`,
  ];
  if (task.error) lines.push(`Error: ${task.error}`);
  if (task.steps.length) {
    lines.push('Steps:');
    for (const s of task.steps) {
      lines.push(
        `- [${s.status}] ${s.name}${s.action ? ` (${s.action})` : ''}`,
      );
    }
  }
  const links = Array.isArray(task.output?.links) ? task.output!.links : [];
  if (task.output) {
    lines.push('Output:');
    for (const link of links as Array<Record<string, unknown>>) {
      lines.push(
        `- ${link.title ?? link.icon ?? 'link'}: ${link.url ?? link.entityRef ?? ''}`,
      );
    }
    for (const [key, value] of Object.entries(task.output)) {
      if (key !== 'links')
        lines.push(
          `- ${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`,
        );
    }
  }
  if (task.log.length) {
    lines.push('Log:');
    for (const line of task.log) {
      lines.push(`  ${line.step ? `[${line.step}] ` : ''}${line.message}`);
    }
  }
  const mayHaveMore =
    !FINISHED.has(task.status) || task.log.length >= MAX_LOG_LINES;
  if (task.logCursor !== undefined && mayHaveMore) {
    lines.push(`Later log lines: get_task with after ${task.logCursor}.`);
  }
  return lines.join('\n');
}

function clean(message: string): string {
  const text = stripVTControlCharacters(String(message ?? ''));
  return text.length > MAX_LINE_LENGTH
    ? `${text.slice(0, MAX_LINE_LENGTH)}…`
    : text;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
