import {
  adminPermission,
  OPERATION_RESOURCE_TYPE,
  promptGetPermission,
  resourceReadPermission,
  toolInvokePermission,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { OperationKind } from '../core/operation';

// The permissions live in the common package, which the admin page reads
// too; they are re-exported here so the backend names them in one place.
export {
  adminPermission,
  OPERATION_RESOURCE_TYPE,
  promptGetPermission,
  resourceReadPermission,
  toolInvokePermission,
};

/** Which permission an operation of each kind needs. */
export const operationPermissions = {
  tool: toolInvokePermission,
  resource: resourceReadPermission,
  prompt: promptGetPermission,
} satisfies Record<OperationKind, unknown>;
