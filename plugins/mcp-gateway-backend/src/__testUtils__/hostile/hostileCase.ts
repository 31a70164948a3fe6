/** The agent every case is sent as unless it says otherwise. */
export const HOSTILE = { subject: 'hostile-bot', agentId: 'hostile' };
/** An agent that may call who_am_i only, for what an agent may not call. */
export const NARROW = { subject: 'narrow-bot', agentId: 'narrow' };
/** A service principal that no agent matches. */
export const STRANGER = 'stranger-bot';

export const MODERN = '2026-07-28';
export const CURRENT = '2025-11-25';
export type Era = typeof MODERN | typeof CURRENT;

/** One hostile HTTP request, and what its answer may be. */
export interface HostileCase {
  /** Unique: says what is hostile about it. */
  name: string;
  /** Sent exactly as it is: JSON.stringify keeps lone surrogates as `\ud800` escapes. */
  body: string | Uint8Array;
  /** Headers over the defaults; null drops a default. */
  headers?: Record<string, string | null>;
  /** The service subject sending it, or null for no credentials. Default HOSTILE. */
  as?: string | null;
  /** Why a success is a right answer here; without it, success is a failure. */
  mayServe?: string;
  /** Why its audit record names no agent although the caller has one. */
  unattributed?: string;
  /** The exact HTTP status it must get. */
  status?: number;
  /** What the error must say, for cases that aim at one thing. */
  says?: RegExp;
  /** The JSON-RPC error code it must get. */
  code?: number;
  /** What the JSON-RPC error's data must hold (as JSON text). */
  dataSays?: RegExp;
}

let nextId = 1;

/** A JSON-RPC request body. */
export function rpc(method: unknown, params?: unknown, id: unknown = nextId++) {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method,
    ...(params !== undefined && { params }),
  });
}

export const callTool = (name: unknown, args?: unknown) =>
  rpc('tools/call', {
    name,
    ...(args !== undefined && { arguments: args }),
  });

/** The parameter the Mcp-Name header mirrors, by method. */
const NAMED_BY: Record<string, string> = {
  'tools/call': 'name',
  'prompts/get': 'name',
  'resources/read': 'uri',
};

/**
 * A request in the 2026-07-28 form: the per-request `_meta` envelope and
 * the headers that mirror the body (Mcp-Name for the methods that name
 * something).
 */
export function modernRequest(
  method: string,
  params: Record<string, unknown> = {},
  envelope: Record<string, unknown> = {},
): Pick<HostileCase, 'body' | 'headers'> {
  const named = NAMED_BY[method] && params[NAMED_BY[method]];
  return {
    body: rpc(method, {
      ...params,
      _meta: {
        'io.modelcontextprotocol/protocolVersion': MODERN,
        'io.modelcontextprotocol/clientInfo': {
          name: 'hostile-input-suite',
          version: '1.0.0',
        },
        'io.modelcontextprotocol/clientCapabilities': {},
        ...envelope,
      },
    }),
    headers: {
      'mcp-protocol-version': MODERN,
      'mcp-method': method,
      ...(typeof named === 'string' &&
        /^[\x20-\x7e]*$/.test(named) && { 'mcp-name': named }),
    },
  };
}

/** A request of either era. */
export function inEra(
  era: Era,
  method: string,
  params: Record<string, unknown>,
): Pick<HostileCase, 'body' | 'headers'> {
  return era === MODERN
    ? modernRequest(method, params)
    : { body: rpc(method, params) };
}
