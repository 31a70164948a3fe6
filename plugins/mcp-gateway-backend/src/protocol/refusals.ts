import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { ProtocolErrorCode } from '@modelcontextprotocol/server';
import { Request } from 'express';

/** JSON-RPC 2.0 error codes the transport answers with. */
export const PARSE_ERROR = ProtocolErrorCode.ParseError;
export const INVALID_REQUEST = ProtocolErrorCode.InvalidRequest;
export const INTERNAL_ERROR = ProtocolErrorCode.InternalError;
// JSON-RPC leaves -32000 to -32099 to implementations; the MCP SDK answers
// a refused Origin with -32000, and these follow it.
export const SERVER_ERROR = -32000;
export const UNAUTHENTICATED = -32001;
export const FORBIDDEN = -32003;

/** What the transport answers a request it turns away before the MCP SDK. */
export interface TransportRefusal {
  status: number;
  code: number;
  message: string;
  /** `refused`: a rule said no; `invalid`: the request itself is broken. */
  outcome: 'refused' | 'invalid';
  /** The machine-readable reason the audit records, e.g. `origin-not-allowed`. */
  reasonCode: string;
  /** The corridor stage that refused: `origin`, else `protocol`. */
  stage?: 'origin' | 'protocol';
  /** The JSON-RPC id to echo, when one request's id could be read. */
  id?: string | number;
  /** The MCP method for the audit, when the body said. */
  method?: string;
  /** The JSON-RPC error's data, for errors the spec gives data to. */
  data?: Record<string, unknown>;
}

export function jsonRpcError(
  id: string | number | undefined,
  code: number,
  message: string,
  data?: Record<string, unknown>,
) {
  return {
    jsonrpc: '2.0',
    id: id ?? null,
    error: { code, message, ...(data && { data }) },
  };
}

/** The id of a single JSON-RPC request, if the body is one. */
export function requestIdOf(body: unknown): string | number | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return undefined;
  }
  const { id } = body as { id?: unknown };
  return typeof id === 'string' || typeof id === 'number' ? id : undefined;
}

/** Client-supplied text for a message: bounded, on one line. */
export function oneLine(text: string, limit = 200): string {
  const line = text.replace(/[\r\n]/g, ' ');
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

/** Client-supplied text quoted in a message. */
export function quoted(text: string, limit = 200): string {
  return `'${oneLine(text, limit)}'`;
}

/** The HTTP answer to a caller the identity stage turned away. */
export function identityRefusalOf(
  error: unknown,
  req: Request,
  /** The WWW-Authenticate challenge, naming the resource metadata. */
  challenge: (invalidToken: boolean) => string,
) {
  if (error instanceof AuthenticationError) {
    return {
      status: 401,
      code: UNAUTHENTICATED,
      message: error.message,
      challenge: challenge(Boolean(req.headers.authorization)),
    };
  }
  if (error instanceof NotAllowedError) {
    return {
      status: 403,
      code: FORBIDDEN,
      message: error.message,
      challenge: undefined,
    };
  }
  return undefined;
}
