import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import {
  PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { ReactElement } from 'react';
import {
  McpGatewayAdminApi,
  mcpGatewayAdminApiRef,
} from '../api/McpGatewayAdminApi';
import { agentsRouteRef, auditRouteRef, rootRouteRef } from '../routes';

// `authorize` takes the permission framework's AuthorizeResult, which this
// package does not depend on; its values are these strings.
type Decision = Exclude<
  NonNullable<Parameters<typeof mockApis.permission>[0]>['authorize'],
  Function | undefined
>;
export const ALLOW = 'ALLOW' as Decision;
export const DENY = 'DENY' as Decision;

/**
 * Renders a page of the plugin in Backstage's test app, with the plugin's
 * routes mounted where the plugin mounts them and the admin API mocked.
 */
export function renderAdminPage(
  element: ReactElement,
  options: {
    api: McpGatewayAdminApi;
    /** Allowed by default. */
    permission?: Decision;
    /** Instead of `permission`, to control when the answer comes. */
    permissionApi?: PermissionApi;
    /** Where the test app starts; rendered with `mountPath` when given. */
    path?: string;
    mountPath?: string;
  },
) {
  return renderInTestApp(element, {
    apis: [
      [mcpGatewayAdminApiRef, options.api],
      options.permissionApi
        ? ([permissionApiRef, options.permissionApi] as const)
        : mockApis.permission({ authorize: options.permission ?? ALLOW }),
    ],
    mountedRoutes: {
      '/mcp-gateway': rootRouteRef,
      '/mcp-gateway/agents': agentsRouteRef,
      '/mcp-gateway/audit': auditRouteRef,
    },
    initialRouteEntries: options.path ? [options.path] : undefined,
    mountPath: options.mountPath,
  });
}
