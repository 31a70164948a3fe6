import {
  AUDIT_FILTER_KEYS,
  AuditFilterQuery,
} from '@mcp-gateway/plugin-mcp-gateway-common';

export const DECISIONS = ['allowed', 'refused', 'pending'] as const;
export const OUTCOMES = ['ok', 'error', 'pending'] as const;

/**
 * The kinds of audit record `GET audit` tells apart: MCP requests, the admin
 * API's reads (its GET routes, which the admin page polls) and every other
 * admin request (disable, enable, the kill switch, unknown routes).
 */
export const AUDIT_KINDS = ['mcp', 'admin-read', 'admin-change'] as const;

/**
 * What the audit page shows when the URL says nothing (no `kind`): not the
 * admin API's reads, which the admin page itself writes every few seconds.
 */
export const DEFAULT_SHOW = 'mcp,admin-change';

/** `kind=all` in the URL: every record (and no `kind` sent to the API). */
export const SHOW_EVERYTHING = 'all';

/** The "Show" choices: `kind` as the URL writes it, and the label. */
export const SHOW_OPTIONS: ReadonlyArray<{
  id: string;
  label: string;
  /** What the table says when no record of these kinds exists. */
  empty: string;
}> = [
  {
    id: DEFAULT_SHOW,
    label: 'MCP requests and admin changes',
    empty: 'No MCP requests or admin changes are recorded yet.',
  },
  {
    id: 'mcp',
    label: 'MCP requests only',
    empty: 'No MCP requests are recorded yet.',
  },
  {
    id: 'admin-read,admin-change',
    label: 'Admin API requests',
    empty: 'No admin API requests are recorded yet.',
  },
  {
    id: SHOW_EVERYTHING,
    label: "Everything, including the admin page's own reads",
    empty: 'The audit trail is empty.',
  },
];

const KIND_NAMES: Record<(typeof AUDIT_KINDS)[number], string> = {
  mcp: 'MCP requests',
  'admin-read': 'admin reads',
  'admin-change': 'admin changes',
};

/**
 * A `kind` as the URL keeps it: undefined for the default, `all` for every
 * kind, else the known kinds listed (in a fixed order, each once). Unknown
 * kinds are left out; none known left is the default.
 */
export function showOf(kind: string | undefined): string | undefined {
  const text = kind?.trim();
  if (!text) return undefined;
  if (text === SHOW_EVERYTHING) return SHOW_EVERYTHING;
  const listed = new Set(text.split(',').map(part => part.trim()));
  const kinds = AUDIT_KINDS.filter(known => listed.has(known));
  if (kinds.length === 0) return undefined;
  if (kinds.length === AUDIT_KINDS.length) return SHOW_EVERYTHING;
  const show = kinds.join(',');
  return show === DEFAULT_SHOW ? undefined : show;
}

/** The "Show" choices, with the URL's own when it is none of them (`kind=admin-change`). */
export function showOptions(kind: string | undefined) {
  const show = showOf(kind) ?? DEFAULT_SHOW;
  if (SHOW_OPTIONS.some(option => option.id === show)) return SHOW_OPTIONS;
  const names = show
    .split(',')
    .map(name => KIND_NAMES[name as (typeof AUDIT_KINDS)[number]]);
  const label = names.join(' and ');
  return [
    ...SHOW_OPTIONS,
    {
      id: show,
      label: `${label.charAt(0).toLocaleUpperCase()}${label.slice(1)} only`,
      empty: `No ${label} are recorded yet.`,
    },
  ];
}

function oneOf<T extends string>(
  values: readonly T[],
  value: string | undefined,
): T | undefined {
  return values.find(candidate => candidate === value);
}

/**
 * The audit filters a query string holds (e.g. `?agent=bot&decision=refused`);
 * empty and unknown ones are left out, so links and reloads show the same.
 */
export function filtersFromSearchParams(
  params: URLSearchParams,
): AuditFilterQuery {
  const text = (key: string) => params.get(key)?.trim() || undefined;
  const filters: AuditFilterQuery = {
    agent: text('agent'),
    user: text('user'),
    tool: text('tool'),
    decision: oneOf(DECISIONS, text('decision')),
    reason: text('reason'),
    outcome: oneOf(OUTCOMES, text('outcome')),
    kind: text('kind'),
    since: text('since'),
    until: text('until'),
  };
  return withoutEmpty(filters);
}

/**
 * Only the filters that are set, trimmed; `kind` as the URL keeps it (see
 * {@link showOf}: absent for the default, `all` for everything).
 */
export function withoutEmpty(filters: AuditFilterQuery): AuditFilterQuery {
  const result: Record<string, string> = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const value = key === 'kind' ? showOf(filters.kind) : filters[key]?.trim();
    if (value) result[key] = value;
  }
  return result as AuditFilterQuery;
}

/** Whether anything but the kind narrows the records. */
export function isNarrowed(filters: AuditFilterQuery): boolean {
  const set = withoutEmpty(filters);
  return AUDIT_FILTER_KEYS.some(key => key !== 'kind' && set[key]);
}

/**
 * The page's filters as `GET audit` takes them: the default kinds when the
 * URL names none, and no `kind` at all for everything (`kind=all`).
 */
export function auditQueryOf(filters: AuditFilterQuery): AuditFilterQuery {
  const { kind, ...others } = withoutEmpty(filters);
  if (kind === SHOW_EVERYTHING) return others;
  return { ...others, kind: kind ?? DEFAULT_SHOW };
}

/** The filters as a query string's parameters, in a fixed order. */
export function searchParamsOf(filters: AuditFilterQuery): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(withoutEmpty(filters))) {
    params.set(key, value);
  }
  return params;
}

/** A link to the audit page showing these filters. */
export function auditLink(
  auditPath: string,
  filters: AuditFilterQuery,
): string {
  const query = searchParamsOf(filters).toString();
  return query ? `${auditPath}?${query}` : auditPath;
}

/** `mcp-gateway-audit-2025-06-02T12-00-00Z.ndjson`: ISO time, without the colons file systems refuse. */
export function exportFileName(now: Date = new Date()): string {
  const time = now
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
  return `mcp-gateway-audit-${time}.ndjson`;
}
