import { useApi } from '@backstage/frontend-plugin-api';
import { Button, Container, Flex, Text } from '@backstage/ui';
import {
  AuditFilterQuery,
  AuditRecordView,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { mcpGatewayAdminApiRef } from '../../api/McpGatewayAdminApi';
import { AdminOnly } from '../shared/AdminOnly';
import { ErrorState } from '../shared/ErrorState';
import { LoadingIndicator } from '../shared/LoadingIndicator';
import { useAdminRead } from '../shared/useAdminRead';
import {
  auditQueryOf,
  DEFAULT_SHOW,
  filtersFromSearchParams,
  isNarrowed,
  searchParamsOf,
  showOptions,
} from './auditFilters';
import { AuditFiltersForm } from './AuditFiltersForm';
import { AuditRecordDialog } from './AuditRecordDialog';
import { AuditRecordsTable } from './AuditRecordsTable';
import { ExportButton } from './ExportButton';

/** How many records a page shows by default (the server allows 1..500). */
export const DEFAULT_AUDIT_PAGE_SIZE = 50;

export interface AuditPageProps {
  pageSize?: number;
}

/**
 * The Audit tab: the trail, filtered by what the query string says, a page
 * at a time (newest first), each record's every field, and an NDJSON export
 * of everything the filters match.
 */
export function AuditPage(props: AuditPageProps) {
  return (
    <Container my="4">
      <AdminOnly>
        <AuditView {...props} />
      </AdminOnly>
    </Container>
  );
}

function AuditView(props: AuditPageProps) {
  const pageSize = props.pageSize ?? DEFAULT_AUDIT_PAGE_SIZE;
  const api = useApi(mcpGatewayAdminApiRef);
  const [searchParams, setSearchParams] = useSearchParams();
  const filters = filtersFromSearchParams(searchParams);
  const filterKey = searchParamsOf(filters).toString();
  // What the API is asked: the URL's filters, with the default kinds.
  const query = auditQueryOf(filters);

  // The cursors of the pages walked so far, the first page's undefined: Next
  // pushes the server's nextCursor, Newer pops, new filters start over.
  const [walk, setWalk] = useState<{
    filterKey: string;
    cursors: (string | undefined)[];
  }>({ filterKey, cursors: [undefined] });
  const cursors = walk.filterKey === filterKey ? walk.cursors : [undefined];
  const cursor = cursors[cursors.length - 1];

  const page = useAdminRead(
    signal => api.queryAudit({ ...query, limit: pageSize, cursor }, { signal }),
    { key: `${filterKey}#${cursor ?? ''}` },
  );
  const [shown, setShown] = useState<AuditRecordView>();

  const applyFilters = (next: AuditFilterQuery) =>
    setSearchParams(searchParamsOf(next));
  const nextCursor = page.loading ? undefined : page.value?.nextCursor;
  const show = filters.kind ?? DEFAULT_SHOW;
  const emptyState = isNarrowed(filters)
    ? 'No audit records match these filters.'
    : showOptions(filters.kind).find(option => option.id === show)?.empty;

  let content;
  if (page.error && !page.loading) {
    content = (
      <ErrorState
        title="Could not load the audit trail."
        error={page.error}
        onRetry={page.refresh}
      />
    );
  } else if (!page.value) {
    content = <LoadingIndicator label="Loading audit records" rows={6} />;
  } else {
    content = (
      <Flex direction="column" gap="3">
        <AuditRecordsTable
          records={page.value.records}
          isStale={page.loading}
          onShowRecord={setShown}
          emptyState={emptyState}
        />
        <Flex justify="between" align="center">
          <Text variant="body-small" color="secondary" aria-live="polite">
            {`Page ${cursors.length}, ${page.value.records.length} ${
              page.value.records.length === 1 ? 'record' : 'records'
            }, newest first`}
          </Text>
          <Flex gap="2">
            <Button
              size="small"
              variant="secondary"
              isDisabled={cursors.length === 1 || page.loading}
              onPress={() =>
                setWalk({ filterKey, cursors: cursors.slice(0, -1) })
              }
            >
              Newer
            </Button>
            <Button
              size="small"
              variant="secondary"
              isDisabled={!nextCursor}
              onPress={() =>
                setWalk({ filterKey, cursors: [...cursors, nextCursor] })
              }
            >
              Older
            </Button>
          </Flex>
        </Flex>
      </Flex>
    );
  }

  return (
    <Flex direction="column" gap="4">
      <Flex justify="between" align="start" gap="4">
        <Text as="p" color="secondary">
          Every MCP request, refusal and admin action, as the gateway recorded
          it; arguments are stored with secrets masked and long values cut.
        </Text>
        <ExportButton filters={query} />
      </Flex>
      <AuditFiltersForm
        key={filterKey}
        filters={filters}
        onApply={applyFilters}
      />
      {content}
      <AuditRecordDialog record={shown} onClose={() => setShown(undefined)} />
    </Flex>
  );
}
