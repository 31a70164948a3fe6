import { isError } from '@backstage/errors';
import { AdminErrorBody } from '@mcp-gateway/plugin-mcp-gateway-common';
import { AuditOutcome } from '../audit/auditRecord';
import { RefusalCode } from '../core/refusal';
import { Stage } from '../core/stage';

export type AdminFailureStatus = 400 | 401 | 403 | 404 | 409 | 500 | 503;

/** How each status is named to the caller and kept in the audit record. */
const KINDS: Record<
  AdminFailureStatus,
  { name: string; outcome: AuditOutcome; stage: Stage; code: RefusalCode }
> = {
  400: {
    name: 'InputError',
    outcome: 'invalid',
    stage: 'input',
    code: 'invalid-input',
  },
  401: {
    name: 'AuthenticationError',
    outcome: 'unauthenticated',
    stage: 'identity',
    code: 'unauthenticated',
  },
  403: {
    name: 'NotAllowedError',
    outcome: 'refused',
    stage: 'permission',
    code: 'not-admin',
  },
  404: {
    name: 'NotFoundError',
    outcome: 'invalid',
    stage: 'input',
    code: 'not-found',
  },
  409: {
    name: 'ConflictError',
    outcome: 'refused',
    stage: 'control',
    code: 'conflict',
  },
  500: {
    name: 'Error',
    outcome: 'failed',
    stage: 'operation',
    code: 'internal-error',
  },
  503: {
    name: 'ServiceUnavailableError',
    outcome: 'failed',
    stage: 'operation',
    code: 'unavailable',
  },
};

/** The Backstage errors a store may throw, by name, and the status each gets. */
const STATUS_OF_ERROR: Record<string, AdminFailureStatus> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
  ServiceUnavailableError: 503,
};

/**
 * An admin request that did not succeed: its status, the message the caller
 * reads (never a stack trace or a secret), and how the audit keeps it.
 */
export class AdminFailure extends Error {
  readonly name: string;
  readonly outcome: AuditOutcome;
  readonly stage: Stage;
  readonly code: RefusalCode;

  constructor(
    readonly status: AdminFailureStatus,
    message: string,
    options: { code?: RefusalCode; stage?: Stage } = {},
  ) {
    super(message);
    const kind = KINDS[status];
    this.name = kind.name;
    this.outcome = kind.outcome;
    this.stage = options.stage ?? kind.stage;
    this.code = options.code ?? kind.code;
  }

  /** The JSON body the caller gets; the code lets a client tell refusals apart without parsing the message. */
  get body(): AdminErrorBody {
    return {
      error: { name: this.name, message: this.message, code: this.code },
    };
  }
}

/**
 * Any error as an AdminFailure. Backstage's errors keep their status and
 * message (they are written for callers); anything else is an unforeseen
 * failure, named to the caller only by a reference to the log.
 */
export function adminFailureOf(
  error: unknown,
  requestId: string,
): { failure: AdminFailure; unexpected: boolean } {
  if (error instanceof AdminFailure) {
    return { failure: error, unexpected: false };
  }
  const status = isError(error) ? STATUS_OF_ERROR[error.name] : undefined;
  if (status && isError(error)) {
    return {
      failure: new AdminFailure(status, error.message),
      unexpected: false,
    };
  }
  return {
    failure: new AdminFailure(
      500,
      `The admin request failed unexpectedly (reference ${requestId}); the gateway's log has the details.`,
    ),
    unexpected: true,
  };
}
