// The admin API's answers (`/api/mcp-gateway/admin`), as JSON. The backend
// builds them with these types and the admin page reads them with them, so
// the two cannot drift apart unnoticed.

/** Who an agent is: one of these matches the caller. */
export type PrincipalMatcher =
  | { service: string }
  | { actor: string }
  | { user: string }
  | { group: string };

/** An agent's policy as app-config sets it (defaults filled in). */
export interface AgentPolicyView {
  /** False when app-config switches the agent off. */
  enabled: boolean;
  /** No write tool, whatever `tools.allow` says. */
  readOnly: boolean;
  tools: { allow: string[]; deny: string[] };
  /** Which templates it may read and run; which scaffolder tasks it reaches. */
  templates: { allow: string[]; tasks: 'own' | 'all' };
  /** Which location URLs it may register. */
  locations: { allow: string[] };
  resources: { allow: string[] };
  prompts: { allow: string[] };
  /** Which entities it may see: absent lists mean every kind or namespace. */
  entities: {
    kinds?: string[];
    namespaces?: string[];
    exclude: { kinds: string[]; namespaces: string[]; tags: string[] };
  };
  /** Entity fields removed from everything it reads. */
  redact: string[];
  rateLimit: {
    requests: number;
    per: 'second' | 'minute' | 'hour' | 'day';
    writes?: number;
  } | null;
}

/** What an agent is doing now, and what put it there. */
export interface AgentStateView {
  /**
   * `stopped`: the gateway's kill switch is engaged; `unavailable`: the
   * replica cannot read the switches, so it refuses every call.
   */
  state: 'running' | 'disabled' | 'stopped' | 'unavailable';
  reason?: string;
  /** `config` (app-config), or the principal of the admin who switched it. */
  by?: string;
  /** When an admin switched it (ISO 8601); absent for config. */
  changedAt?: string;
}

/** Calls (refusals included) and refusals of an agent in a window. */
export interface AuditCounts {
  calls: number;
  refusals: number;
}

/** One agent, as `GET agents` lists it. */
export interface AgentView {
  id: string;
  description?: string;
  /** Where its policy is written, e.g. `mcpGateway.agents[incident-copilot]`. */
  configKey: string;
  principals: PrincipalMatcher[];
  policy: AgentPolicyView;
  state: AgentStateView;
  /** Its newest audit record (ISO 8601), however old; null if none. */
  lastCallAt: string | null;
  lastHour: AuditCounts;
  lastDay: AuditCounts;
}

/** The gateway's kill switch. */
export interface KillSwitchView {
  engaged: boolean;
  /** Where it is engaged: app-config wins over the admin API. */
  source?: 'config' | 'runtime';
  reason?: string;
  /** `config`, or the admin who last set it at run time (also when released). */
  by?: string;
  changedAt?: string;
}

/** `GET agents`: every agent (the default agent last), and the kill switch. */
export interface AgentsOverview {
  agents: AgentView[];
  killSwitch: KillSwitchView;
}

/** `POST agents/:id/disable` and `POST agents/:id/enable`. */
export interface AgentStateChange {
  id: string;
  state: AgentStateView;
}

/** How far back an agent's activity is shown. */
export type ActivityWindow = 'hour' | 'day' | 'week';

export const ACTIVITY_WINDOWS: readonly ActivityWindow[] = [
  'hour',
  'day',
  'week',
];

/** An agent's records in one slice of time. */
export interface ActivityBucket {
  /** Where the slice starts (ISO 8601). */
  start: string;
  /** Every record, refusals and errors included. */
  calls: number;
  /** The gateway said no. */
  refusals: number;
  /** Allowed, but the operation failed. */
  errors: number;
}

/** An agent's refusals of one reason, in the window. */
export interface RefusalReasonCount {
  /** The machine-readable reason, as audit records and their filter name it. */
  reason: string;
  /** Where in the corridor it was refused (`policy`, `permission`, ...). */
  stage?: string;
  count: number;
  /** The newest of them (ISO 8601). */
  lastAt: string;
  /** What the newest one told the caller. */
  example?: string;
}

/** `GET agents/:id?window=`: one agent, with its activity over the window. */
export interface AgentDetail {
  agent: AgentView;
  killSwitch: KillSwitchView;
  activity: {
    window: ActivityWindow;
    /** The window, ISO 8601: `from` is the first bucket's start. */
    from: string;
    to: string;
    bucketSeconds: number;
    /** Oldest first, every slice present (empty ones as zeros). */
    buckets: ActivityBucket[];
  };
  /** Most frequent first. */
  refusals: RefusalReasonCount[];
}

/** One audit record as the admin API returns it. */
export interface AuditRecordView {
  id: string;
  /** When the request was admitted (ISO 8601). */
  time: string;
  replica: string;
  requestId: string;
  agent?: string;
  principal?: string;
  onBehalfOf?: string;
  actor?: string;
  client?: { name?: string; version?: string };
  protocolVersion?: string;
  /** The MCP method, or `admin: <route>` for the admin API's own records. */
  method: string;
  operation?: { kind: string; name: string; access?: string; source?: string };
  /** As stored: secrets masked, long values cut. */
  arguments?: unknown;
  decision: 'allowed' | 'refused' | 'pending';
  stage?: string;
  reason?: string;
  outcome: 'ok' | 'error' | 'pending';
  message?: string;
  durationMs?: number;
  resultBytes?: number;
}

/** `GET audit`: a page, newest first. */
export interface AuditPage {
  records: AuditRecordView[];
  /** Pass it back as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

/** The narrowing filters of `GET audit` (each one exact). */
export interface AuditFilterQuery {
  agent?: string;
  /** The on-behalf-of user ref. */
  user?: string;
  /** The operation's name (a tool name). */
  tool?: string;
  decision?: 'allowed' | 'refused' | 'pending';
  reason?: string;
  outcome?: 'ok' | 'error' | 'pending';
  /**
   * Which kinds of record, comma-separated: `mcp` (MCP requests),
   * `admin-read` (the admin API's GET routes), `admin-change` (every other
   * admin request); e.g. `mcp,admin-change`. Absent: every record.
   */
  kind?: string;
  /** ISO 8601, or ms since the epoch. */
  since?: string;
  until?: string;
}

/** The filters of `GET audit`, in the order a query string lists them. */
export const AUDIT_FILTER_KEYS = [
  'agent',
  'user',
  'tool',
  'decision',
  'reason',
  'outcome',
  'kind',
  'since',
  'until',
] as const satisfies ReadonlyArray<keyof AuditFilterQuery>;

/** What every admin API error answers (Backstage's error body). */
export interface AdminErrorBody {
  error: { name: string; message: string; code?: string };
}
