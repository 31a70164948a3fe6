import { JsonValue } from '@backstage/types';
import { AuditRecordView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { millisOf } from '../database/gatewayDatabase';
import { AuditEnd, AuditOutcome, AuditStart } from './auditRecord';
import { boundedArguments, boundedText } from './bounded';

export const AUDIT_TABLE = 'audit_records';

/** A row of `audit_records`, as the sink writes it (absent values are null). */
export interface AuditRow {
  id: string;
  created_at: number;
  replica: string;
  request_id: string;
  agent_id: string | null;
  principal: string | null;
  on_behalf_of: string | null;
  actor: string | null;
  client_name: string | null;
  client_version: string | null;
  protocol_version: string | null;
  method: string;
  operation_kind: string | null;
  operation_name: string | null;
  access: string | null;
  source: string | null;
  arguments: string | null;
  decision: AuditDecision;
  stage: string | null;
  reason: string | null;
  outcome: AuditRecordOutcome;
  message: string | null;
  duration_ms: number | null;
  result_bytes: number | null;
}

/** The columns a request's end fills in. */
export type AuditEndColumns = Pick<
  AuditRow,
  | 'decision'
  | 'stage'
  | 'reason'
  | 'outcome'
  | 'message'
  | 'duration_ms'
  | 'result_bytes'
>;

/** A row as the database returns it: PostgreSQL returns bigint as text. */
export type StoredAuditRow = Omit<AuditRow, 'created_at'> & {
  created_at: number | string;
};

export type AuditDecision = 'allowed' | 'refused' | 'pending';
export type AuditRecordOutcome = 'ok' | 'error' | 'pending';

/** One audit record as the admin API returns it: the common package's shape. */
export type { AuditRecordView };

/** What a row needs besides the request itself. */
export interface AuditRowContext {
  id: string;
  createdAt: number;
  replica: string;
}

/**
 * The row of a request as admitted, still pending. The HTTP request in
 * `start` is never stored. Strings are cut to their column's width: one
 * overlong client name must not fail the whole group it is written with.
 */
export function pendingAuditRow(
  start: AuditStart,
  { id, createdAt, replica }: AuditRowContext,
): AuditRow {
  const { operation } = start;
  return {
    id: fit(id, 36),
    created_at: createdAt,
    replica: fit(replica, 255),
    request_id: fit(start.requestId, 36),
    agent_id: fitOrNull(start.agentId, 255),
    principal: fitOrNull(start.principal, 255),
    on_behalf_of: fitOrNull(start.user, 255),
    actor: fitOrNull(start.actor, 255),
    client_name: fitOrNull(start.client?.name, 255),
    client_version: fitOrNull(start.client?.version, 255),
    protocol_version: fitOrNull(start.protocolVersion, 64),
    method: fit(start.method, 255),
    operation_kind: fitOrNull(operation?.kind, 32),
    operation_name: fitOrNull(operation?.name, 255),
    access: fitOrNull(operation?.access, 32),
    source: fitOrNull(operation?.source, 255),
    arguments: argumentsText(start.arguments),
    decision: 'pending',
    stage: null,
    reason: null,
    outcome: 'pending',
    message: null,
    duration_ms: null,
    result_bytes: null,
  };
}

/** The columns that record how a request ended. */
export function endColumns(end: AuditEnd): AuditEndColumns {
  return {
    ...verdictOf(end.outcome),
    stage: fitOrNull(end.stage, 32),
    reason: fitOrNull(end.code, 64),
    message: end.reason === undefined ? null : clean(boundedText(end.reason)),
    duration_ms: integerOrNull(end.durationMs),
    result_bytes: integerOrNull(end.resultBytes),
  };
}

/** The whole row of a request that has ended. */
export function completeAuditRow(
  start: AuditStart,
  context: AuditRowContext,
  end: AuditEnd,
): AuditRow {
  return { ...pendingAuditRow(start, context), ...endColumns(end) };
}

function verdictOf(
  outcome: AuditOutcome,
): Pick<AuditRow, 'decision' | 'outcome'> {
  switch (outcome) {
    case 'succeeded':
      return { decision: 'allowed', outcome: 'ok' };
    case 'failed':
      return { decision: 'allowed', outcome: 'error' };
    default:
      // refused, invalid, unauthenticated: the gateway said no.
      return { decision: 'refused', outcome: 'error' };
  }
}

/** A stored row as the admin API shows it; absent values are left out. */
export function auditRecordViewOf(row: StoredAuditRow): AuditRecordView {
  const view: AuditRecordView = {
    id: row.id,
    time: new Date(millisOf(row.created_at) ?? 0).toISOString(),
    replica: row.replica,
    requestId: row.request_id,
    method: row.method,
    decision: row.decision,
    outcome: row.outcome,
  };
  setIf(view, 'agent', row.agent_id);
  setIf(view, 'principal', row.principal);
  setIf(view, 'onBehalfOf', row.on_behalf_of);
  setIf(view, 'actor', row.actor);
  if (row.client_name !== null || row.client_version !== null) {
    view.client = {};
    setIf(view.client, 'name', row.client_name);
    setIf(view.client, 'version', row.client_version);
  }
  setIf(view, 'protocolVersion', row.protocol_version);
  if (row.operation_kind !== null && row.operation_name !== null) {
    view.operation = { kind: row.operation_kind, name: row.operation_name };
    setIf(view.operation, 'access', row.access);
    setIf(view.operation, 'source', row.source);
  }
  if (row.arguments !== null) view.arguments = parsedArguments(row.arguments);
  setIf(view, 'stage', row.stage);
  setIf(view, 'reason', row.reason);
  setIf(view, 'message', row.message);
  setIf(view, 'durationMs', numberOf(row.duration_ms));
  setIf(view, 'resultBytes', numberOf(row.result_bytes));
  return view;
}

function setIf<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | null | undefined,
) {
  if (value !== null && value !== undefined) target[key] = value;
}

function numberOf(value: number | string | null) {
  return value === null ? undefined : Number(value);
}

/** Bounded again here, whatever the caller did: a record never grows unbounded. */
function argumentsText(value: unknown): string | null {
  const bounded = boundedArguments(value);
  if (bounded === undefined) return null;
  return JSON.stringify(bounded) ?? null;
}

function parsedArguments(text: string): JsonValue {
  try {
    return JSON.parse(text);
  } catch {
    // Not written by this sink; show it as it is rather than fail the page.
    return text;
  }
}

/** PostgreSQL refuses NUL in text; nothing of value is lost by dropping it. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.includes('\u0000') ? text.replace(/\u0000/g, '') : text;
}

/** At most `width` characters (code points, as varchar counts them). */
function fit(text: string, width: number): string {
  const cleaned = clean(String(text));
  if (cleaned.length <= width) return cleaned;
  return Array.from(cleaned).slice(0, width).join('');
}

function fitOrNull(text: string | undefined, width: number): string | null {
  return text === undefined || text === null ? null : fit(text, width);
}

/** The integer columns are 32-bit on PostgreSQL and refuse fractions. */
function integerOrNull(value: number | undefined): number | null {
  if (value === undefined || !Number.isFinite(value)) return null;
  return Math.min(Math.max(Math.round(value), 0), 2_147_483_647);
}
