import { z } from 'zod';
import { UNAVAILABLE } from '../../downstream/callerTasks';
import { decodeCursor, limitInput } from '../paging';
import { defineTool } from '../types';

const STATUSES = [
  'open',
  'processing',
  'completed',
  'failed',
  'cancelled',
] as const;

/** Tasks one call reads at most while looking for a status. */
const MAX_SCANNED = 200;
const SCAN_BATCH = 20;

/** Where a listing goes on: its status filter and the last task it read. */
const position = z.strictObject({
  t: z.literal('list_tasks'),
  s: z.enum(STATUSES).optional(),
  c: z.number().int().min(0),
  i: z.string().max(100),
});

const cursorInput = z
  .string()
  .max(1000)
  .transform((cursor, ctx) => {
    const parsed = position.safeParse(decodeCursor(cursor));
    if (!parsed.success) {
      ctx.addIssue({
        code: 'custom',
        message:
          'The cursor is not valid for list_tasks. Call again without a cursor to start from the newest task.',
      });
      return z.NEVER;
    }
    return parsed.data;
  })
  .optional()
  .describe(
    'nextCursor from a previous call, for the next (older) tasks; the status filter of that call is kept.',
  );

function encode(p: z.output<typeof position>): string {
  return Buffer.from(JSON.stringify(p)).toString('base64url');
}

export const listTasksTool = defineTool({
  name: 'list_tasks',
  title: 'List this agent’s template tasks',
  description:
    'Lists the tasks run_template started for this caller, newest first, with their status now. ' +
    'Filter by status (open, processing, completed, failed, cancelled). Use get_task for a task’s steps, log and output.',
  access: 'read',
  idempotent: true,
  input: z.object({
    status: z.enum(STATUSES).optional().describe('Only tasks in this status'),
    limit: limitInput,
    cursor: cursorInput,
  }),
  output: z.object({
    items: z.array(
      z.object({
        taskId: z.string(),
        templateRef: z.string(),
        status: z.string(),
        createdAt: z.string(),
      }),
    ),
    nextCursor: z
      .string()
      .optional()
      .describe(
        'Pass to list_tasks for older tasks; absent when there are none',
      ),
  }),
  async run({ tasks }, { limit, cursor, ...args }) {
    const status = cursor ? cursor.s : args.status;
    let after = cursor && { createdAt: cursor.c, taskId: cursor.i };
    const items = [];
    let scanned = 0;
    let exhausted = false;
    while (items.length < limit && scanned < MAX_SCANNED) {
      // With a status filter, statuses are read in batches until enough match.
      const ask = status ? SCAN_BATCH : limit - items.length;
      const page = await tasks.listOwn({ limit: ask, after });
      let read = 0;
      for (const task of page) {
        if (items.length === limit || scanned === MAX_SCANNED) break;
        read += 1;
        scanned += 1;
        after = { createdAt: task.createdAt, taskId: task.taskId };
        if (!status || task.status === status) {
          items.push({
            taskId: task.taskId,
            templateRef: task.templateRef,
            status: task.status,
            createdAt: new Date(task.createdAt).toISOString(),
          });
        }
      }
      if (read === page.length && page.length < ask) {
        exhausted = true;
        break;
      }
    }
    return {
      items,
      nextCursor:
        !exhausted && after
          ? encode({
              t: 'list_tasks',
              s: status,
              c: after.createdAt,
              i: after.taskId,
            })
          : undefined,
    };
  },
  render({ items, nextCursor }) {
    const lines = items.map(
      t =>
        `${t.taskId}: ${t.templateRef}, ${t.status}${
          t.status === UNAVAILABLE ? ' (the scaffolder no longer has it)' : ''
        }, started ${t.createdAt}`,
    );
    if (lines.length === 0) {
      lines.push(nextCursor ? 'No matching task among these.' : 'No tasks.');
    }
    if (nextCursor) {
      lines.push(`More: call again with cursor "${nextCursor}".`);
    }
    return lines.join('\n');
  },
});
