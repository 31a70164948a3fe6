import { JsonValue } from '@backstage/types';
import { Request } from 'express';
import { Operation } from '../core/operation';
import { RefusalCode } from '../core/refusal';
import { Stage } from '../core/stage';

/**
 * What is known of an MCP request when it is admitted, before anything of
 * it runs. It carries no credentials: only who and what.
 */
export interface AuditStart {
  /** One id for the whole HTTP request (a batch's parts share it). */
  requestId: string;
  /** Absent when the caller matched no agent. */
  agentId?: string;
  principal?: string;
  user?: string;
  actor?: string;
  /** The MCP client, where the protocol carries it (initialize, 2026-07-28 envelopes). */
  client?: { name?: string; version?: string };
  /** The MCP protocol version the request was made in, when known. */
  protocolVersion?: string;
  /** The MCP method, e.g. `tools/call`, or an admin action, e.g. `admin: agents/disable`. */
  method: string;
  /** The operation asked for; `access` and `source` when it exists. */
  operation?: Pick<Operation, 'kind' | 'name'> & Partial<Operation>;
  /**
   * The arguments as sent (JSON from the request body), with secrets and
   * the agent's redacted fields already masked (see maskArguments).
   */
  arguments?: JsonValue;
  /**
   * The HTTP request of an authenticated caller, so that Backstage's auditor
   * names the caller as the actor. Never part of the record's content.
   */
  request?: Request;
}

/** How a request ended. */
export interface AuditEnd {
  outcome: AuditOutcome;
  /** The corridor stage that ended the request, for anything but `succeeded`. */
  stage?: Stage;
  /** A machine-readable reason, for anything but `succeeded`. */
  code?: RefusalCode;
  /** Why it did not succeed, as the caller was told. */
  reason?: string;
  /** For listings: how many operations the caller was shown. */
  listed?: number;
  /** The size of the answer the caller got, in bytes of JSON. */
  resultBytes?: number;
  durationMs: number;
}

export type AuditOutcome =
  'succeeded' | 'refused' | 'invalid' | 'failed' | 'unauthenticated';

/** A request's record, begun at admission and ended with its outcome. */
export interface AuditEntry {
  end(end: AuditEnd): Promise<void>;
}

/**
 * Where audit records go. Both calls throw when the record cannot be
 * written: the corridor then refuses (at `begin`) or withholds the answer
 * (at `end`), so nothing runs or is answered unaudited.
 */
export interface AuditSink {
  begin(start: AuditStart): Promise<AuditEntry>;
}

/** A request that ended as it was admitted (a refusal at the door). */
export async function auditWhole(
  sink: AuditSink,
  start: AuditStart,
  end: AuditEnd,
): Promise<void> {
  await (await sink.begin(start)).end(end);
}
