import { ListedTool } from './surface';

/**
 * Values that make a call valid apart from what a case changes, by argument
 * name; an argument without one is left out. None of them reaches anything
 * a case could change: the template and the task do not exist, and the
 * catalog may not read the URL.
 */
export const SAMPLES: Record<string, string> = {
  ref: 'component:default/payments-api',
  url: 'https://github.com/acme/hostile/blob/main/catalog-info.yaml',
  templateRef: 'template:default/no-such-template',
  taskId: '00000000-0000-4000-8000-000000000000',
  // Required unless a cursor is given (not visible in the JSON Schema).
  term: 'payments',
  query: 'runbook',
  // Prompt arguments.
  service: 'payments-api',
  subject: 'system:payments',
  // Resource template variables.
  kind: 'component',
  namespace: 'default',
  name: 'payments-api',
  path: 'runbook/',
};

/** Arguments named so hold entity refs, parsed as refs. */
export const REF_ARGUMENTS = new Set([
  'ref',
  'owner',
  'system',
  'domain',
  'templateRef',
  'service',
  'subject',
]);
/** Arguments that carry something other than free text. */
export const SPECIAL_ARGUMENTS = new Set([
  ...REF_ARGUMENTS,
  'cursor',
  'path',
  'url',
]);

/** Why some cases may succeed. */
export const ignored =
  'unknown keys are dropped (zod strips them): the rest of the call may be valid';
export const findsNothing =
  'a filter value is compared whole: a value no entity has finds nothing';
export const nothingRequired =
  'nothing is required: an empty call is a valid call';

/** Says the name of an argument, as a whole word. */
export const says = (name: string) =>
  new RegExp(`\\b${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);

/** The arguments of a call that is valid but for what a case changes. */
export function baseArguments(tool: ListedTool): Record<string, unknown> {
  const properties = tool.inputSchema.properties ?? {};
  const required = new Set(tool.inputSchema.required ?? []);
  return Object.fromEntries(
    Object.keys(properties)
      .filter(
        name =>
          name in SAMPLES &&
          (required.has(name) || name === 'term' || name === 'query'),
      )
      .map(name => [name, SAMPLES[name]]),
  );
}
