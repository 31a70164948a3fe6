import { useRouteRef } from '@backstage/frontend-plugin-api';
import {
  Button,
  Cell,
  CellText,
  ColumnConfig,
  Flex,
  Table,
  Text,
} from '@backstage/ui';
import { AuditRecordView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { ReactNode } from 'react';
import { agentRouteRef } from '../../routes';
import { formatDateTime, formatTimeAndDate } from '../shared/format';
import { NumberColumn } from '../shared/NumberCell';
import { StatusBadge } from '../shared/StatusBadge';
import styles from '../shared/table.module.css';
import { whatOf, whoOf } from './describeRecord';

const DECISION_COLORS: Record<AuditRecordView['decision'], string> = {
  allowed: 'var(--bui-fg-positive)',
  refused: 'var(--bui-fg-negative)',
  pending: 'var(--bui-fg-secondary)',
};

/**
 * Audit records, newest first: when, which agent, who for, what, the
 * decision (and why), how it ended, how long it took; each with a button
 * opening every field of it.
 *
 * Sized for a 1400 px window with Backstage's sidebar (a table about
 * 1130 px wide): agent ids of 20 characters and methods like
 * `admin: POST agents/disable` show whole; the time takes two short lines.
 */
export function AuditRecordsTable(props: {
  records: AuditRecordView[] | undefined;
  onShowRecord: (record: AuditRecordView) => void;
  /** Left out on an agent's own page. */
  showAgent?: boolean;
  isStale?: boolean;
  emptyState: ReactNode;
}) {
  const {
    records,
    onShowRecord,
    showAgent = true,
    isStale,
    emptyState,
  } = props;
  const agentLink = useRouteRef(agentRouteRef);

  const columns: ColumnConfig<AuditRecordView>[] = [
    {
      id: 'time',
      label: 'Time',
      isRowHeader: true,
      width: 120,
      cell: record => {
        const { time, date } = formatTimeAndDate(record.time);
        return (
          <Cell>
            <time
              dateTime={record.time}
              title={formatDateTime(record.time)}
              className={styles.stacked}
            >
              <Text>{time}</Text>
              <Text color="secondary">{date}</Text>
            </time>
          </Cell>
        );
      },
    },
    {
      id: 'agent',
      label: 'Agent',
      isHidden: !showAgent,
      width: '2fr',
      minWidth: 185,
      cell: record =>
        record.agent ? (
          <CellText
            title={record.agent}
            href={agentLink?.({ id: record.agent })}
          />
        ) : (
          <CellText title="—" color="secondary" />
        ),
    },
    {
      id: 'who',
      label: 'Caller',
      width: '2fr',
      minWidth: 185,
      cell: record => {
        const who = whoOf(record);
        return <CellText title={who.title} description={who.detail} />;
      },
    },
    {
      id: 'what',
      label: 'What',
      width: '2fr',
      minWidth: 225,
      cell: record => {
        const what = whatOf(record);
        return <CellText title={what.title} description={what.detail} />;
      },
    },
    {
      id: 'decision',
      label: 'Decision',
      width: '1fr',
      minWidth: 137,
      cell: record => (
        <Cell>
          <Flex direction="column" gap="1" align="start">
            <StatusBadge
              label={record.decision}
              color={DECISION_COLORS[record.decision]}
            />
            {record.reason && (
              <Text
                variant="body-small"
                color="secondary"
                className={styles.wrapAnywhere}
              >
                {record.reason}
              </Text>
            )}
          </Flex>
        </Cell>
      ),
    },
    {
      id: 'outcome',
      label: 'Outcome',
      width: 95,
      cell: record => (
        <Cell>
          <Text color={record.outcome === 'error' ? 'danger' : 'primary'}>
            {record.outcome}
          </Text>
        </Cell>
      ),
    },
    {
      id: 'duration',
      label: 'Duration',
      width: 85,
      header: () => <NumberColumn id="duration" label="Duration" width={85} />,
      cell: record => (
        <Cell className={styles.numeric}>
          {record.durationMs === undefined
            ? '—'
            : `${record.durationMs.toLocaleString()} ms`}
        </Cell>
      ),
    },
    {
      id: 'details',
      label: 'Details',
      width: 85,
      cell: record => (
        <Cell>
          <Button
            size="small"
            variant="tertiary"
            aria-label={`Details of the record of ${formatDateTime(record.time)}`}
            onPress={() => onShowRecord(record)}
          >
            Details
          </Button>
        </Cell>
      ),
    },
  ];

  return (
    <Table
      columnConfig={columns}
      data={records}
      isPending={records === undefined}
      isStale={isStale}
      pagination={{ type: 'none' }}
      emptyState={<Text color="secondary">{emptyState}</Text>}
    />
  );
}
