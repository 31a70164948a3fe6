import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import { readGatewayConfig } from '../config/gatewayConfig';
import { Caller } from '../core/caller';
import { CallerServicesFactory } from '../downstream/callerServices';
import { AgentDataPolicies } from '../policy/agentDataPolicy';

/**
 * For unit tests: the downstream services as one call of this agent (a
 * service principal named after it) gets them, over the given catalog
 * (usually `catalogServiceMock`).
 */
export function boundServices(
  catalog: CatalogService,
  agentJson: JsonObject,
  options: { permissionsEnabled?: boolean } = {},
) {
  const id = String(agentJson.id);
  const [agent] = readGatewayConfig(
    new ConfigReader({
      mcpGateway: {
        agents: [{ principals: [{ service: id }], ...agentJson }],
      },
    }),
  ).agents;
  const dataPolicies = new AgentDataPolicies([agent]);
  const caller: Caller = {
    agent,
    principal: id,
    principalType: 'service',
    credentials: mockCredentials.service(id),
  };
  const redaction = dataPolicies.of(agent).redaction.session();
  return {
    caller,
    redaction,
    ...new CallerServicesFactory({
      catalog,
      permissionsEnabled: options.permissionsEnabled ?? false,
      dataPolicies,
    }).bind(caller, redaction),
  };
}
