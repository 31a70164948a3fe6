import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotModifiedError,
  ResponseError,
} from '@backstage/errors';
import { InvalidArguments, UnknownOperation } from '../core/errors';
import { OperationKind } from '../core/operation';
import { GatewayRefusal, RefusalCode } from '../core/refusal';
import { Stage } from '../core/stage';

/** Why an operation did not succeed, as the audit records it and the caller reads it. */
export interface Failure {
  outcome: 'refused' | 'invalid' | 'failed';
  stage: Stage;
  code: RefusalCode;
  /** For the caller: actionable, never a stack trace or an internal detail. */
  message: string;
  /** Not foreseen: logged with the request id, which the message names. */
  unexpected?: boolean;
  /** When trying again may succeed (a rate limit): seconds from now. */
  retryAfterSeconds?: number;
}

/** What the corridor answers: the value, or why there is none. */
export type Answer<T> =
  { ok: true; value: T } | { ok: false; failure: Failure };

/** What failed: an operation of a kind, or a method such as tools/list. */
export interface FailedSubject {
  kind?: OperationKind;
  name: string;
}

/** Errors whose message was written for the caller and is safe to show. */
const CALLER_FACING = [
  InputError,
  NotFoundError,
  ConflictError,
  NotAllowedError,
  NotModifiedError,
];

/** HTTP statuses of downstream answers that the caller can act on. */
const BAD_REQUEST = 400;
const FORBIDDEN = 403;
const NOT_FOUND = 404;
const CONFLICT = 409;

/** JSON-RPC's internal error is the server's fault, not the request's. */
const INTERNAL_ERROR = -32603;

/** Reason codes of the JSON-RPC errors the MCP SDK answers a malformed request with. */
const PROTOCOL_REASONS: Record<number, RefusalCode> = {
  [-32601]: 'unknown-method',
  [-32602]: 'invalid-params',
  [-32600]: 'invalid-request',
};

/**
 * The one place where errors become what the caller reads: a message the
 * model can act on, never a stack trace or an internal detail.
 */
export function explainFailure(
  error: unknown,
  subject: FailedSubject,
  requestId: string,
): Failure {
  const operationName = subject.name;
  if (error instanceof GatewayRefusal) {
    const { stage, code, message, retryAfterSeconds } = error;
    return {
      outcome: 'refused',
      stage,
      code,
      message,
      ...(retryAfterSeconds !== undefined && { retryAfterSeconds }),
    };
  }
  const protocolCode = jsonRpcCodeOf(error);
  if (protocolCode !== undefined) {
    return {
      outcome: 'invalid',
      stage: 'protocol',
      code: PROTOCOL_REASONS[protocolCode] ?? 'invalid-request',
      message: (error as Error).message,
    };
  }
  if (error instanceof InvalidArguments) {
    return {
      outcome: 'invalid',
      stage: 'input',
      code: 'invalid-input',
      message: `Invalid arguments for ${operationName}: ${describeIssues(error)}`,
    };
  }
  if (error instanceof UnknownOperation) {
    return {
      outcome: 'invalid',
      stage: 'protocol',
      code: 'unknown-operation',
      message: error.message,
    };
  }
  if (CALLER_FACING.some(type => error instanceof type)) {
    return {
      outcome: 'failed',
      stage: 'operation',
      code: 'downstream-error',
      message: (error as Error).message,
    };
  }
  if (error instanceof ResponseError) {
    const status = error.statusCode;
    if (status === FORBIDDEN) {
      return {
        outcome: 'refused',
        stage: 'operation',
        code: 'downstream-forbidden',
        message: `Backstage refused this request for the caller: ${error.message}`,
      };
    }
    if ([BAD_REQUEST, NOT_FOUND, CONFLICT].includes(status)) {
      return {
        outcome: 'failed',
        stage: 'operation',
        code: 'downstream-error',
        message: error.message,
      };
    }
  }
  return {
    outcome: 'failed',
    stage: 'operation',
    code: 'internal-error',
    message: `${
      subject.kind ? `The ${operationName} ${subject.kind}` : operationName
    } failed unexpectedly. The error was logged with reference ${requestId}.`,
    unexpected: true,
  };
}

/**
 * The code of an error the MCP SDK raised about the request itself (a
 * JSON-RPC error, -32768 to -32000), or undefined. Recognised by shape, so
 * this layer need not know the SDK.
 */
function jsonRpcCodeOf(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code } = error as { code?: unknown };
  return typeof code === 'number' &&
    Number.isInteger(code) &&
    code >= -32768 &&
    code <= -32000 &&
    code !== INTERNAL_ERROR
    ? code
    : undefined;
}

function describeIssues({ issues }: InvalidArguments): string {
  return issues
    .map(({ path, message }) => `${path || '(arguments)'}: ${message}`)
    .join('; ');
}
