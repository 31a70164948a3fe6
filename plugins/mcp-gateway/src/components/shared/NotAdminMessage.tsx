import { Alert } from '@backstage/ui';
import { adminPermission } from '@mcp-gateway/plugin-mcp-gateway-common';

/**
 * Why the page shows nothing: either the permission check said no (before
 * any admin API call), or the admin API answered 403 (`serverMessage`).
 */
export function NotAdminMessage(props: { serverMessage?: string }) {
  const { serverMessage } = props;
  return (
    <Alert
      status="warning"
      icon
      title={
        serverMessage
          ? 'The MCP gateway does not let you administer it.'
          : `You need the ${adminPermission.name} permission to administer the MCP gateway.`
      }
      description={
        serverMessage
          ? `${serverMessage} Admins need the ${adminPermission.name} permission and must be listed in mcpGateway.admins in app-config.`
          : 'Ask whoever runs your Backstage permission policy to grant it; the gateway also requires admins to be listed in mcpGateway.admins in app-config.'
      }
    />
  );
}
