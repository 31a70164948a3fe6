import { z } from 'zod';
import { InvalidArguments } from './errors';

/** Arguments checked by a zod schema, every problem named at once. */
export function parseArguments<S extends z.ZodType>(
  schema: S,
  args: unknown,
): z.output<S> {
  const parsed = schema.safeParse(args ?? {});
  if (!parsed.success) {
    throw new InvalidArguments(
      parsed.error.issues.map(issue => ({
        path: issue.path.join('.'),
        message: issue.message,
      })),
    );
  }
  return parsed.data;
}
