import { JsonValue } from '@backstage/types';
import { Request } from 'express';

/**
 * One record per MCP request that reached the gateway, whatever its outcome.
 * It carries no credentials: only who, what, and how it ended.
 */
export interface AuditRecord {
  requestId: string;
  /** Absent when the caller matched no agent. */
  agentId?: string;
  principal?: string;
  user?: string;
  actor?: string;
  /** The MCP method, e.g. `tools/call`. */
  method: string;
  tool?: string;
  access?: 'read' | 'write';
  outcome: AuditOutcome;
  /** The corridor stage that ended the call, for anything but `succeeded`. */
  stage?: string;
  /** Why it did not succeed, as the caller was told. */
  reason?: string;
  /** The tool arguments as sent (JSON from the request body). */
  arguments?: JsonValue;
  /** For tools/list: how many tools the caller was shown. */
  listed?: number;
  durationMs: number;
  /**
   * The HTTP request of an authenticated caller, so that Backstage's auditor
   * names the caller as the actor. Never part of the record's content.
   */
  request?: Request;
}

export type AuditOutcome =
  'succeeded' | 'refused' | 'invalid' | 'failed' | 'unauthenticated';

export interface AuditSink {
  record(record: AuditRecord): Promise<void>;
}
