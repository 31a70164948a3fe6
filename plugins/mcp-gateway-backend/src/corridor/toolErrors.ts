import { LoggerService } from '@backstage/backend-plugin-api';
import { z } from 'zod';
import { GatewayRefusal } from './refusal';

/** Errors whose message was written for the caller and is safe to show. */
const CALLER_FACING = new Set([
  'InputError',
  'NotFoundError',
  'ConflictError',
  'NotAllowedError',
  'NotModifiedError',
]);

/** The arguments did not match the tool's input schema. */
export class InvalidArguments extends Error {
  readonly name = 'InvalidArguments';

  constructor(readonly issues: z.core.$ZodIssue[]) {
    super('Invalid arguments');
  }
}

export interface ExplainedError {
  outcome: 'refused' | 'invalid' | 'failed';
  stage: string;
  message: string;
}

/**
 * The one place where errors become what the caller reads: a message the
 * model can act on, never a stack trace or an internal detail.
 */
export function explainToolError(
  error: unknown,
  toolName: string,
  requestId: string,
  logger: LoggerService,
): ExplainedError {
  if (error instanceof GatewayRefusal) {
    return { outcome: 'refused', stage: error.stage, message: error.message };
  }
  if (error instanceof InvalidArguments) {
    return {
      outcome: 'invalid',
      stage: 'input',
      message: `Invalid arguments for ${toolName}: ${describeIssues(error.issues)}`,
    };
  }
  const { name, message } = (error ?? {}) as {
    name?: string;
    message?: string;
  };
  const status = (error as { statusCode?: number })?.statusCode;
  if ((name && CALLER_FACING.has(name)) || status === 400 || status === 404) {
    return {
      outcome: 'failed',
      stage: 'tool',
      message: message ?? String(error),
    };
  }
  if (status === 403) {
    return {
      outcome: 'refused',
      stage: 'tool',
      message: `Backstage refused this request for the caller: ${message}`,
    };
  }
  logger.error(
    `Tool ${toolName} failed (request ${requestId})`,
    asError(error),
  );
  return {
    outcome: 'failed',
    stage: 'tool',
    message: `The ${toolName} tool failed unexpectedly. The error was logged with reference ${requestId}.`,
  };
}

function describeIssues(issues: z.core.$ZodIssue[]): string {
  return issues
    .map(issue => {
      const path = issue.path.length ? issue.path.join('.') : '(arguments)';
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
