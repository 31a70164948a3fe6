import {
  ACTIVITY_WINDOWS,
  ActivityWindow,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { z } from 'zod';
import { AdminFailure } from './adminFailure';
import { AUDIT_KINDS, AuditKind } from '../audit/auditQuery';
import { AuditFilter } from './adminStores';

/** A reason is kept in the store and shown to every refused caller: short. */
export const MAX_REASON_LENGTH = 500;
export const DEFAULT_AUDIT_PAGE = 50;
export const MAX_AUDIT_PAGE = 500;

const required = (what: string) => (issue: { input: unknown }) =>
  issue.input === undefined ? 'is required' : `must be ${what}`;

// PostgreSQL refuses NUL in text, and a reason is shown to agents on one
// line: control characters are refused rather than stored or searched for.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
const noControlCharacters = [
  (text: string) => !CONTROL_CHARACTERS.test(text),
  'must not contain control characters (line breaks, tabs, NUL)',
] as const;

const reason = z
  .string({ error: required('text') })
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_REASON_LENGTH, `must be at most ${MAX_REASON_LENGTH} characters`)
  .refine(...noControlCharacters);

export const disableAgentBody = z.strictObject({ reason });

export const enableAgentBody = z.strictObject({ reason: reason.optional() });

export const killSwitchBody = z
  .strictObject({
    engaged: z.boolean({ error: required('true or false') }),
    reason: reason.optional(),
  })
  .superRefine((body, ctx) => {
    if (body.engaged && body.reason === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: 'is required when engaging the kill switch',
      });
    }
  });

/** Query values are text, given once (a repeated parameter is an array). */
const queryText = z
  .string({ error: required('a single value') })
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine(...noControlCharacters);

const isoTime = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

/** ISO 8601 (a date alone is midnight UTC) or ms since the epoch; NaN if neither. */
function millisOfTime(value: string): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  return isoTime.safeParse(value).success ? Date.parse(value) : NaN;
}

const time = z
  .string({ error: required('a single value') })
  .transform((value, ctx) => {
    const ms = millisOfTime(value);
    if (Number.isNaN(ms)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be an ISO 8601 time (e.g. 2026-11-21T09:30:00Z) or milliseconds since the epoch',
      });
      return z.NEVER;
    }
    return ms;
  });

const limit = z
  .string({ error: required('a single value') })
  .regex(/^\d{1,4}$/, `must be a whole number from 1 to ${MAX_AUDIT_PAGE}`)
  .transform(Number)
  .refine(
    n => n >= 1 && n <= MAX_AUDIT_PAGE,
    `must be a whole number from 1 to ${MAX_AUDIT_PAGE}`,
  );

const kindNames = `${AUDIT_KINDS.slice(0, -1).join(', ')} or ${AUDIT_KINDS.at(-1)}`;

/** `kind=mcp,admin-change`: a comma-separated list of record kinds. */
const kinds = z
  .string({ error: required('a single value') })
  .transform((value, ctx) => {
    const listed = value.split(',').map(kind => kind.trim());
    const unknown = listed.filter(
      kind => !(AUDIT_KINDS as readonly string[]).includes(kind),
    );
    if (unknown.length > 0) {
      ctx.addIssue({
        code: 'custom',
        message: `must list record kinds, separated by commas: ${kindNames} (not ${unknown
          .map(kind => `'${kind.slice(0, 40)}'`)
          .join(', ')})`,
      });
      return z.NEVER;
    }
    return [...new Set(listed)] as AuditKind[];
  });

const auditQuery = z
  .strictObject({
    agent: queryText.optional(),
    user: queryText.optional(),
    tool: queryText.optional(),
    decision: queryText.optional(),
    reason: queryText.optional(),
    outcome: queryText.optional(),
    kind: kinds.optional(),
    since: time.optional(),
    until: time.optional(),
    limit: limit.optional(),
    cursor: z
      .string({ error: required('a single value') })
      .min(1, 'must not be empty')
      .max(4096, 'is not a cursor this API returned')
      .refine(...noControlCharacters)
      .optional(),
  })
  .superRefine((query, ctx) => {
    if (
      query.since !== undefined &&
      query.until !== undefined &&
      query.since > query.until
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['since'],
        message: 'must not be later than until',
      });
    }
  });

export const DEFAULT_ACTIVITY_WINDOW: ActivityWindow = 'day';

const windowNames = `${ACTIVITY_WINDOWS.slice(0, -1).join(', ')} or ${ACTIVITY_WINDOWS.at(-1)}`;

const agentDetailQuery = z.strictObject(
  {
    window: z
      .enum(ACTIVITY_WINDOWS, {
        error: issue =>
          typeof issue.input === 'string'
            ? `must be ${windowNames}`
            : `must be a single value: ${windowNames}`,
      })
      .optional(),
  },
  {
    error: issue =>
      issue.code === 'unrecognized_keys'
        ? `unknown parameter ${issue.keys.map(key => `'${key.slice(0, 50)}'`).join(', ')}: the only one is window (${windowNames})`
        : undefined,
  },
);

/** The window of `GET agents/:id` (a day unless it says). */
export function activityWindowOf(query: unknown): ActivityWindow {
  return (
    parseRequest(agentDetailQuery, query, 'query').window ??
    DEFAULT_ACTIVITY_WINDOW
  );
}

export interface AuditRequest {
  filter: AuditFilter;
  page: { limit: number; cursor?: string };
}

/**
 * The audit query of `GET audit`. An export streams every matching record,
 * so paging parameters there are a mistake, not something to ignore.
 */
export function auditRequestOf(
  query: unknown,
  as: 'page' | 'export',
): AuditRequest {
  const {
    limit: pageLimit,
    cursor,
    ...filter
  } = parseRequest(auditQuery, query, 'query');
  if (as === 'export' && (pageLimit !== undefined || cursor !== undefined)) {
    throw new AdminFailure(
      400,
      'Invalid request query: limit and cursor page the JSON answer; the NDJSON export (Accept: application/x-ndjson) streams every matching record.',
    );
  }
  return {
    filter: withoutUndefined(filter),
    page: { limit: pageLimit ?? DEFAULT_AUDIT_PAGE, ...(cursor && { cursor }) },
  };
}

/** The value as the schema reads it, or a 400 that says what is wrong where. */
export function parseRequest<T extends z.ZodType>(
  schema: T,
  value: unknown,
  where: 'body' | 'query',
): z.output<T> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new AdminFailure(400, invalidRequestMessage(parsed.error, where));
  }
  return parsed.data;
}

/** e.g. `Invalid request body: reason: must be at most 500 characters`. */
export function invalidRequestMessage(
  error: z.ZodError,
  where: 'body' | 'query',
): string {
  const problems = error.issues.map(issue =>
    issue.path.length > 0
      ? `${issue.path.map(String).join('.')}: ${issue.message}`
      : issue.message,
  );
  return `Invalid request ${where}: ${problems.join('; ')}`;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
