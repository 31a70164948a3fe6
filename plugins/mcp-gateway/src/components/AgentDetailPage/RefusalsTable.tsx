import { useRouteRef } from '@backstage/frontend-plugin-api';
import { Cell, CellText, ColumnConfig, Table, Text } from '@backstage/ui';
import {
  ActivityWindow,
  RefusalReasonCount,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { auditRouteRef } from '../../routes';
import { auditLink } from '../AuditPage/auditFilters';
import { formatDateTime, formatRelative } from '../shared/format';
import { NumberCell, NumberColumn } from '../shared/NumberCell';
import { WINDOW_LABELS } from './ActivityChart';

type Row = RefusalReasonCount & { id: string };

/** The agent's refusals grouped by reason, each reason linking to those records in the audit trail. */
export function RefusalsTable(props: {
  agentId: string;
  window: ActivityWindow;
  refusals: RefusalReasonCount[];
}) {
  const { agentId, window, refusals } = props;
  const auditPath = useRouteRef(auditRouteRef)?.();
  const rows: Row[] = refusals.map(refusal => ({
    ...refusal,
    id: `${refusal.stage ?? ''}:${refusal.reason}`,
  }));

  // The example message goes under its reason, so the table fits half a page.
  const columns: ColumnConfig<Row>[] = [
    {
      id: 'reason',
      label: 'Reason, and what the caller was told',
      isRowHeader: true,
      width: '3fr',
      minWidth: 200,
      cell: row => (
        <CellText
          title={row.reason}
          description={row.example}
          href={
            auditPath &&
            auditLink(auditPath, { agent: agentId, reason: row.reason })
          }
        />
      ),
    },
    {
      id: 'stage',
      label: 'Stage',
      width: '1fr',
      minWidth: 90,
      cell: row => <CellText title={row.stage ?? '—'} />,
    },
    {
      id: 'count',
      label: 'Count',
      width: 80,
      header: () => <NumberColumn id="count" label="Count" width={80} />,
      cell: row => <NumberCell count={row.count} />,
    },
    {
      id: 'last',
      label: 'Last',
      width: 110,
      cell: row => (
        <Cell>
          <time dateTime={row.lastAt} title={formatDateTime(row.lastAt)}>
            {formatRelative(row.lastAt)}
          </time>
        </Cell>
      ),
    },
  ];

  return (
    <Table
      columnConfig={columns}
      data={rows}
      pagination={{ type: 'none' }}
      emptyState={
        <Text color="secondary">{`No refusals over ${WINDOW_LABELS[window]}.`}</Text>
      }
    />
  );
}
