import { usePermission } from '@backstage/plugin-permission-react';
import { Alert } from '@backstage/ui';
import { adminPermission } from '@mcp-gateway/plugin-mcp-gateway-common';
import { ReactNode } from 'react';
import { LoadingIndicator } from './LoadingIndicator';
import { NotAdminMessage } from './NotAdminMessage';

/**
 * Renders its children (which call the admin API) only for admins. The
 * backend checks again on every request; this spares others a page of errors.
 */
export function AdminOnly(props: { children: ReactNode }) {
  const { loading, allowed, error } = usePermission({
    permission: adminPermission,
  });
  if (loading) {
    return <LoadingIndicator label="Checking your permissions" rows={1} />;
  }
  if (error) {
    return (
      <Alert
        status="danger"
        icon
        title="Could not check whether you may administer the MCP gateway."
        description={error.message}
      />
    );
  }
  if (!allowed) {
    return <NotAdminMessage />;
  }
  return <>{props.children}</>;
}
