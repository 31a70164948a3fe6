import { AuditRecordView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { AgentConfig } from '../config/gatewayConfig';
import {
  ActivitySpan,
  AgentActivityDetail,
  BucketCounts,
} from '../audit/agentActivity';
import { AgentActivity, AuditFilter } from '../audit/auditQuery';
import { ControlSwitch } from '../control/controlSwitches';
import { ControlVerdict } from '../control/controlVerdict';

// What the admin API needs of the control and audit stores: these few
// calls, so that its tests can stand in for the stores.

export type {
  ActivitySpan,
  AgentActivity,
  AgentActivityDetail,
  AuditFilter,
  AuditRecordView,
  BucketCounts,
  ControlSwitch,
  ControlVerdict,
};

export type ControlSwitchChange = Omit<ControlSwitch, 'changedAt'>;

/** The shared store of run-time switches. */
export interface AdminSwitchStore {
  readAll(): Promise<ControlSwitch[]>;
  set(change: ControlSwitchChange): Promise<ControlSwitch>;
}

/** This replica's view of the switches. */
export interface AdminControlState {
  /** Takes effect on this replica at once, before other replicas hear of it. */
  apply(change: ControlSwitch): void;
  /** `by` is `config` when app-config switched it off, else the admin's principal. */
  verdict(agent: AgentConfig): ControlVerdict;
}

/** Reading the durable audit. Records are the admin API's view of them. */
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
  /** One agent's records over the span: per slice, and its refusals by reason. */
  agentActivity(
    agentId: string,
    span: ActivitySpan,
  ): Promise<AgentActivityDetail>;
}

/** The stores the admin API reads and changes. */
export interface AdminStores {
  switches: AdminSwitchStore;
  control: AdminControlState;
  audit: AdminAuditQuery;
}
