import { AuditRecordView } from '@mcp-gateway/plugin-mcp-gateway-common';

/** The admin API records its own requests with methods like `admin: POST agents/disable`. */
export function isAdminRecord(record: AuditRecordView): boolean {
  return record.method.startsWith('admin:');
}

/** What was asked: the tool, resource or prompt, else the method (an admin action, `tools/list`). */
export function whatOf(record: AuditRecordView): {
  title: string;
  detail?: string;
} {
  if (record.operation) {
    const { kind, access } = record.operation;
    return {
      title: record.operation.name,
      detail: access ? `${kind}, ${access}` : kind,
    };
  }
  if (isAdminRecord(record)) {
    const args = record.arguments as { agent?: unknown } | undefined;
    const agent =
      args && typeof args === 'object' && typeof args.agent === 'string'
        ? args.agent
        : undefined;
    return {
      title: record.method,
      detail: agent ? `admin action on ${agent}` : 'admin action',
    };
  }
  return { title: record.method };
}

/**
 * Who called: the user the call was made for, else the principal itself;
 * "via" the principal only when someone else (a service, Portal's plugin
 * actor) called for the user, not when users call for themselves (an admin).
 */
export function whoOf(record: AuditRecordView): {
  title: string;
  detail?: string;
} {
  if (record.onBehalfOf) {
    return {
      title: record.onBehalfOf,
      detail:
        record.principal && record.principal !== record.onBehalfOf
          ? `via ${record.principal}`
          : undefined,
    };
  }
  return { title: record.principal ?? 'unknown caller' };
}

/** Every field of a record, labelled, in reading order; absent ones left out. */
export function recordFields(
  record: AuditRecordView,
): { label: string; value: string }[] {
  const fields: [string, unknown][] = [
    ['Time', record.time],
    ['Record', record.id],
    ['Request', record.requestId],
    ['Replica', record.replica],
    ['Agent', record.agent],
    ['Principal', record.principal],
    ['On behalf of', record.onBehalfOf],
    ['Actor', record.actor],
    [
      'Client',
      record.client &&
        [record.client.name, record.client.version].filter(Boolean).join(' '),
    ],
    ['Protocol version', record.protocolVersion],
    ['Method', record.method],
    [
      'Operation',
      record.operation &&
        [
          `${record.operation.kind} ${record.operation.name}`,
          record.operation.access,
          record.operation.source && `from ${record.operation.source}`,
        ]
          .filter(Boolean)
          .join(', '),
    ],
    ['Decision', record.decision],
    ['Stage', record.stage],
    ['Reason', record.reason],
    ['Outcome', record.outcome],
    ['Message', record.message],
    ['Duration', record.durationMs !== undefined && `${record.durationMs} ms`],
    [
      'Result size',
      record.resultBytes !== undefined &&
        `${record.resultBytes.toLocaleString()} bytes`,
    ],
  ];
  // Fields a newer backend adds still show, as they are.
  const known = new Set<string>([
    'id',
    'time',
    'replica',
    'requestId',
    'agent',
    'principal',
    'onBehalfOf',
    'actor',
    'client',
    'protocolVersion',
    'method',
    'operation',
    'arguments',
    'decision',
    'stage',
    'reason',
    'outcome',
    'message',
    'durationMs',
    'resultBytes',
  ]);
  for (const [key, value] of Object.entries(record)) {
    if (!known.has(key)) {
      fields.push([
        key,
        typeof value === 'string' ? value : JSON.stringify(value),
      ]);
    }
  }
  return fields
    .filter(
      (field): field is [string, string] =>
        typeof field[1] === 'string' && field[1] !== '',
    )
    .map(([label, value]) => ({ label, value }));
}
