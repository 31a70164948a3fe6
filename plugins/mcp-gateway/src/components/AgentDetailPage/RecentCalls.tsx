import { useApi, useRouteRef } from '@backstage/frontend-plugin-api';
import { Flex, Link } from '@backstage/ui';
import { AuditRecordView } from '@mcp-gateway/plugin-mcp-gateway-common';
import { useState } from 'react';
import { mcpGatewayAdminApiRef } from '../../api/McpGatewayAdminApi';
import { auditRouteRef } from '../../routes';
import { auditLink } from '../AuditPage/auditFilters';
import { AuditRecordDialog } from '../AuditPage/AuditRecordDialog';
import { AuditRecordsTable } from '../AuditPage/AuditRecordsTable';
import { ErrorState } from '../shared/ErrorState';
import { useAdminRead } from '../shared/useAdminRead';

/** How many of the agent's newest records its page shows. */
export const RECENT_CALLS = 20;

/** The agent's newest audit records, and a link to all of them in the audit trail. */
export function RecentCalls(props: {
  agentId: string;
  pollIntervalMs?: number;
}) {
  const { agentId, pollIntervalMs } = props;
  const api = useApi(mcpGatewayAdminApiRef);
  const auditPath = useRouteRef(auditRouteRef)?.();
  const [shown, setShown] = useState<AuditRecordView>();
  // Its MCP requests only: the admin API's own records name no agent anyway.
  const recent = useAdminRead(
    signal =>
      api.queryAudit(
        { agent: agentId, kind: 'mcp', limit: RECENT_CALLS },
        { signal },
      ),
    { key: agentId, pollIntervalMs },
  );

  if (recent.error && !recent.value) {
    return (
      <ErrorState
        title="Could not load the agent's recent calls."
        error={recent.error}
        onRetry={recent.refresh}
      />
    );
  }

  return (
    <Flex direction="column" gap="3">
      <AuditRecordsTable
        records={recent.value?.records}
        showAgent={false}
        onShowRecord={setShown}
        emptyState="No calls recorded yet."
      />
      {auditPath && (
        <Link href={auditLink(auditPath, { agent: agentId })}>
          All of its records in the audit trail
        </Link>
      )}
      <AuditRecordDialog record={shown} onClose={() => setShown(undefined)} />
    </Flex>
  );
}
