import {
  PROTOCOL_VERSION_META_KEY,
  ProtocolErrorCode,
  SUPPORTED_PROTOCOL_VERSIONS,
} from '@modelcontextprotocol/server';
import { Request } from 'express';
import { auditedMethodOf } from '../audit/auditedMethod';
import { isJsonObject } from '../core/isJsonObject';
import { CORRIDOR_METHODS } from './mcpServerFactory';
import { quoted, requestIdOf, TransportRefusal } from './refusals';

/** Served per request, with no initialize (`server/discover` names them). */
export const PER_REQUEST_VERSIONS = ['2026-07-28'] as const;
/**
 * Negotiated through `initialize`, newest first: the MCP SDK's list, which
 * goes back to 2024-10-07 (2025-03-26 and older also allow batches).
 */
export const INITIALIZE_VERSIONS: readonly string[] =
  SUPPORTED_PROTOCOL_VERSIONS;
/** Every protocol version the endpoint serves, newest first. */
export const SUPPORTED_VERSIONS: readonly string[] = [
  ...PER_REQUEST_VERSIONS,
  ...INITIALIZE_VERSIONS,
];

/**
 * The methods a per-request (2026-07-28) client may call. Anything else is
 * answered 404 with -32601, as that revision requires of an HTTP server.
 */
const PER_REQUEST_METHODS = new Set([
  'server/discover',
  'subscriptions/listen',
  ...CORRIDOR_METHODS,
]);

/** The protocol version a single request claims in its `_meta`, if any. */
export function perRequestClaimOf(body: unknown): unknown {
  if (!isJsonObject(body) || !isJsonObject(body.params)) return undefined;
  const meta = body.params._meta;
  return isJsonObject(meta) ? meta[PROTOCOL_VERSION_META_KEY] : undefined;
}

/** Does this single request claim a protocol version per request? */
function isPerRequest(body: unknown): boolean {
  return perRequestClaimOf(body) !== undefined;
}

/**
 * Refuses a request for a protocol version the endpoint does not serve: a
 * per-request `_meta` claim other than 2026-07-28, or an
 * MCP-Protocol-Version header naming no supported version. The message
 * names every version the endpoint serves and how (the MCP SDK would name
 * only one era's); `data.supported` lists those the client can retry with.
 */
export function versionRefusalFor(
  req: Request,
  body: unknown,
): TransportRefusal | undefined {
  const header = req.headers['mcp-protocol-version'];
  const headerVersion = typeof header === 'string' ? header.trim() : '';
  const claim = perRequestClaimOf(body);
  if (claim !== undefined) {
    if (PER_REQUEST_VERSIONS.some(version => version === claim)) {
      return undefined;
    }
    const requested = typeof claim === 'string' ? claim : JSON.stringify(claim);
    // A header that disagrees is the SDK's to refuse (-32020, header mismatch).
    if (headerVersion && headerVersion !== requested) return undefined;
    // A client retries with a version from `supported` the same way, per
    // request: only the per-request versions are listed there.
    return refusal(
      req,
      body,
      {
        supported: [...PER_REQUEST_VERSIONS],
        requested,
      },
      `Unsupported protocol version ${quoted(requested, 40)} in the request's _meta: the MCP gateway serves ${PER_REQUEST_VERSIONS.join(', ')} per request, and ${INITIALIZE_VERSIONS.join(', ')} through initialize.`,
    );
  }
  if (!headerVersion || SUPPORTED_VERSIONS.includes(headerVersion)) {
    return undefined;
  }
  return refusal(
    req,
    body,
    { supported: [...SUPPORTED_VERSIONS], requested: headerVersion },
    `Unsupported protocol version ${quoted(headerVersion, 40)} in the MCP-Protocol-Version header: the MCP gateway supports ${SUPPORTED_VERSIONS.join(', ')}.`,
  );
}

/**
 * Refuses a per-request (2026-07-28) call of a method the gateway does not
 * serve with HTTP 404, which clients of that revision rely on; the MCP SDK
 * can only answer it in-band once the gateway has audited it.
 */
export function unservedMethodRefusalFor(
  req: Request,
  body: unknown,
): TransportRefusal | undefined {
  // Notifications (no id) get no answer, whatever their method.
  if (!isPerRequest(body) || !isJsonObject(body) || !('id' in body)) {
    return undefined;
  }
  const { method } = body;
  if (typeof method !== 'string' || PER_REQUEST_METHODS.has(method)) {
    return undefined;
  }
  return {
    status: 404,
    code: ProtocolErrorCode.MethodNotFound,
    outcome: 'invalid',
    reasonCode: 'method-not-found',
    id: requestIdOf(body),
    method: auditedMethodOf(req, body),
    message: `Method not found: the MCP gateway does not serve ${quoted(method, 100)}.`,
  };
}

function refusal(
  req: Request,
  body: unknown,
  data: { supported: string[]; requested: string },
  message: string,
): TransportRefusal {
  return {
    status: 400,
    code: ProtocolErrorCode.UnsupportedProtocolVersion,
    outcome: 'invalid',
    reasonCode: 'unsupported-protocol-version',
    id: requestIdOf(body),
    method: auditedMethodOf(req, body),
    message,
    data,
  };
}
