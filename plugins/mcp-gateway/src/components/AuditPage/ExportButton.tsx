import { useApi } from '@backstage/frontend-plugin-api';
import { Alert, Button, Flex } from '@backstage/ui';
import { AuditFilterQuery } from '@mcp-gateway/plugin-mcp-gateway-common';
import { useState } from 'react';
import { mcpGatewayAdminApiRef } from '../../api/McpGatewayAdminApi';
import { exportFileName } from './auditFilters';
import { downloadBlob } from './downloadBlob';

/** Downloads every record matching the filters as NDJSON, one record a line. */
export function ExportButton(props: { filters: AuditFilterQuery }) {
  const api = useApi(mcpGatewayAdminApiRef);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string>();

  const exportRecords = async () => {
    setPending(true);
    setError(undefined);
    try {
      const blob = await api.exportAudit(props.filters);
      downloadBlob(blob, exportFileName());
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setPending(false);
    }
  };

  return (
    <Flex direction="column" gap="2" align="end" style={{ flexShrink: 0 }}>
      <Button variant="secondary" isPending={pending} onPress={exportRecords}>
        Export NDJSON
      </Button>
      {error && (
        <Alert
          status="danger"
          icon
          title="The export failed."
          description={error}
        />
      )}
    </Flex>
  );
}
