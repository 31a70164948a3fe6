import { AgentConfig } from '../config/gatewayConfig';

// What the admin API needs of the control and audit stores, as structural
// types: the stores live in lower rooms and are wired in by plugin.ts, and
// the admin API depends on nothing of them but these few calls.

/** The target of the gateway-wide kill switch (any other target is an agent id). */
export const WHOLE_GATEWAY = '*';

/** A kill switch set at run time, for one agent or the whole gateway. */
export interface ControlSwitch {
  /** `*` for the whole gateway, else an agent id. */
  target: string;
  off: boolean;
  reason?: string;
  /** The admin's principal: a user ref or a service subject. */
  changedBy: string;
  /** ISO 8601. */
  changedAt: string;
}

export interface ControlSwitchChange {
  target: string;
  off: boolean;
  reason?: string;
  changedBy: string;
}

/** The shared store of run-time switches. */
export interface AdminSwitchStore {
  readAll(): Promise<ControlSwitch[]>;
  set(change: ControlSwitchChange): Promise<ControlSwitch>;
}

/** What this replica currently decides for an agent. */
export type ControlVerdict =
  | { state: 'running' }
  | { state: 'gateway-stopped'; reason?: string; by: string }
  | { state: 'agent-disabled'; reason?: string; by: string }
  | { state: 'unavailable' };

/** This replica's view of the switches. */
export interface AdminControlState {
  /** Takes effect on this replica at once, before other replicas hear of it. */
  apply(change: ControlSwitch): void;
  /** `by` is `config` when app-config switched it off, else the admin's principal. */
  verdict(agent: AgentConfig): ControlVerdict;
}

/** Which audit records to read; every field narrows. Times in ms since the epoch. */
export interface AuditFilter {
  agent?: string;
  user?: string;
  tool?: string;
  decision?: string;
  reason?: string;
  outcome?: string;
  since?: number;
  until?: number;
}

/**
 * An audit record as the store shows it. Opaque here: the admin API only
 * passes it on as JSON. (`object` rather than JsonObject, so that a store
 * whose record type is an interface fits too.)
 */
export type AuditRecordView = object;

export interface AuditCounts {
  calls: number;
  refusals: number;
}

export interface AgentActivity {
  /** ISO 8601. */
  lastCallAt?: string;
  lastHour: AuditCounts;
  lastDay: AuditCounts;
}

/** Reading the durable audit. */
export interface AdminAuditQuery {
  /** Throws an InputError (from @backstage/errors) on a cursor it did not make. */
  list(
    filter: AuditFilter,
    page: { limit: number; cursor?: string },
  ): Promise<{ records: AuditRecordView[]; nextCursor?: string }>;
  /** Every matching record, oldest first or as the store pages them. */
  export(filter: AuditFilter): AsyncIterable<AuditRecordView>;
  /** Recent activity per agent id, as of `now` (ms). */
  activity(now: number): Promise<Map<string, AgentActivity>>;
}

/** The stores the admin API reads and changes. */
export interface AdminStores {
  switches: AdminSwitchStore;
  control: AdminControlState;
  audit: AdminAuditQuery;
}
