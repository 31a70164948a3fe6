import { McpGatewayAdminApi } from '../api/McpGatewayAdminApi';

type Method = keyof McpGatewayAdminApi;

const METHODS: Method[] = [
  'listAgents',
  'getAgent',
  'disableAgent',
  'enableAgent',
  'getKillSwitch',
  'setKillSwitch',
  'queryAudit',
  'exportAudit',
];

/**
 * The admin API with every method a jest.fn: the given implementations,
 * and for the others a rejection naming the unexpected call.
 */
export function mockAdminApi(
  implementation: Partial<McpGatewayAdminApi> = {},
): jest.Mocked<McpGatewayAdminApi> {
  const api: Record<string, jest.Mock> = {};
  for (const method of METHODS) {
    const given = implementation[method] as
      ((...args: unknown[]) => unknown) | undefined;
    api[method] = jest.fn(
      given ??
        (() => Promise.reject(new Error(`Unexpected call to ${method}`))),
    );
  }
  return api as unknown as jest.Mocked<McpGatewayAdminApi>;
}
