import { isJsonObject } from '../core/isJsonObject';
import { auditedMethodOf } from '../audit/auditedMethod';
import { Request } from 'express';
import { INVALID_REQUEST, quoted, TransportRefusal } from './refusals';
import { PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';
import { PER_REQUEST_VERSIONS } from './versions';

/** The protocol version that removed JSON-RPC batches. */
export const BATCHES_REMOVED_IN = '2025-06-18';
/** What the spec says to assume when MCP-Protocol-Version is absent. */
export const VERSION_WITHOUT_HEADER = '2025-03-26';
/**
 * Most parts a batch may have. Each part walks the corridor (and is audited)
 * on its own, so a batch costs what its parts cost; the cap bounds how much
 * one request may ask for at once (the MCP SDK's own cap is 100).
 */
export const MAX_BATCH_PARTS = 20;

const [FIRST_PER_REQUEST_VERSION] = PER_REQUEST_VERSIONS;

export interface BatchVersion {
  version: string;
  /** Where the version came from, for the refusal message. */
  source: string;
}

/** Only dated versions before 2025-06-18 have batches. */
export function versionAllowsBatches(version: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(version) && version < BATCHES_REMOVED_IN;
}

/**
 * The protocol version a batch is sent for. Every signal counts and the one
 * that rules batches out wins, the way the MCP SDK's createMcpHandler
 * classifies requests: a part with a per-request `_meta` protocol claim (the
 * 2026-07-28 mechanism), the MCP-Protocol-Version header, an `initialize`
 * part's protocolVersion; with none of them, 2025-03-26.
 */
export function batchVersion(
  header: string | undefined,
  parts: unknown[],
): BatchVersion {
  const signals: BatchVersion[] = [];
  for (const part of parts) {
    const params = isJsonObject(part) ? part.params : undefined;
    const meta = isJsonObject(params) ? params._meta : undefined;
    if (isJsonObject(meta) && PROTOCOL_VERSION_META_KEY in meta) {
      const claimed = meta[PROTOCOL_VERSION_META_KEY];
      // A claim of any version is itself a 2026-07-28 mechanism.
      const version =
        typeof claimed === 'string' && !versionAllowsBatches(claimed)
          ? claimed
          : FIRST_PER_REQUEST_VERSION;
      return { version, source: "a part's per-request _meta protocol claim" };
    }
  }
  const trimmed = header?.trim();
  if (trimmed) {
    signals.push({
      version: trimmed,
      source: 'the MCP-Protocol-Version header',
    });
  }
  for (const part of parts) {
    if (isJsonObject(part) && part.method === 'initialize') {
      const params = isJsonObject(part.params) ? part.params : {};
      if (typeof params.protocolVersion === 'string') {
        signals.push({
          version: params.protocolVersion,
          source: 'its initialize request',
        });
      }
    }
  }
  return (
    signals.find(signal => !versionAllowsBatches(signal.version)) ??
    signals[0] ?? {
      version: VERSION_WITHOUT_HEADER,
      source: 'no MCP-Protocol-Version header',
    }
  );
}

/**
 * Why a batch may not go on, or undefined when it may (or is no batch).
 * Refused: empty batches, batches for versions that removed them, more than
 * MAX_BATCH_PARTS parts, and request ids used twice (their answers would
 * collide).
 */
export function batchRefusalFor(
  req: Request,
  body: unknown,
): TransportRefusal | undefined {
  if (!Array.isArray(body)) return undefined;
  const refusal = (
    message: string,
    outcome: TransportRefusal['outcome'] = 'invalid',
  ): TransportRefusal => ({
    status: 400,
    code: INVALID_REQUEST,
    outcome,
    reasonCode: 'batch-refused',
    method: auditedMethodOf(req, body),
    message: `Invalid request: ${message}`,
  });

  if (body.length === 0) {
    return refusal('an empty batch is not a JSON-RPC request.');
  }
  const header = req.headers['mcp-protocol-version'];
  const { version, source } = batchVersion(
    typeof header === 'string' ? header : undefined,
    body,
  );
  if (!versionAllowsBatches(version)) {
    return refusal(
      `this batch is for protocol version ${quotedVersion(version)} (${source}), and JSON-RPC batches were removed in ${BATCHES_REMOVED_IN}: send each message in its own request.`,
    );
  }
  if (body.length > MAX_BATCH_PARTS) {
    return refusal(
      `a batch may have at most ${MAX_BATCH_PARTS} parts; this one has ${body.length}.`,
      'refused',
    );
  }
  const seen = new Set<unknown>();
  for (const part of body) {
    const id = isJsonObject(part) && 'method' in part ? part.id : undefined;
    if (typeof id !== 'string' && typeof id !== 'number') continue;
    if (seen.has(id)) {
      return refusal(
        `request id ${JSON.stringify(id).slice(0, 100)} is used more than once in this batch.`,
      );
    }
    seen.add(id);
  }
  return undefined;
}

function quotedVersion(version: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(version) ? version : quoted(version, 40);
}
