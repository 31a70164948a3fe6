import { Request } from 'express';
import { oneLine } from './refusals';

const PROTOCOL_VERSION_META = 'io.modelcontextprotocol/protocolVersion';
const CLIENT_INFO_META = 'io.modelcontextprotocol/clientInfo';

/** What the audit records of the MCP client, as far as the request says. */
export interface ClientDescription {
  client?: { name?: string; version?: string };
  protocolVersion?: string;
}

/**
 * The client's name and version and the protocol version, where the
 * protocol carries them: `initialize` params (2025 versions), the `_meta`
 * envelope of every 2026-07-28 request, and the `MCP-Protocol-Version`
 * header. Client-supplied, so bounded and on one line.
 */
export function describeClient(req: Request, body: unknown): ClientDescription {
  const params = objectAt(body, 'params');
  const meta = objectAt(params, '_meta');
  const header = req.headers['mcp-protocol-version'];
  const info =
    objectAt(params, 'clientInfo') ?? objectAt(meta, CLIENT_INFO_META);
  const protocolVersion = text(
    typeof header === 'string'
      ? header
      : (meta?.[PROTOCOL_VERSION_META] ?? params?.protocolVersion),
    64,
  );
  const name = text(info?.name);
  const version = text(info?.version);
  return {
    ...(protocolVersion && { protocolVersion }),
    ...((name || version) && {
      client: { ...(name && { name }), ...(version && { version }) },
    }),
  };
}

function objectAt(
  value: unknown,
  key: string,
): Record<string, unknown> | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const found = (value as Record<string, unknown>)[key];
  return found !== null && typeof found === 'object' && !Array.isArray(found)
    ? (found as Record<string, unknown>)
    : undefined;
}

function text(value: unknown, limit = 200): string | undefined {
  return typeof value === 'string' && value ? oneLine(value, limit) : undefined;
}
