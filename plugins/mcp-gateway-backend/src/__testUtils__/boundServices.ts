import { BackstageCredentials } from '@backstage/backend-plugin-api';
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
 * (usually `inMemoryCatalog` from unitDoubles).
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
    // What mockCredentials.service(id) makes, without loading
    // @backstage/backend-test-utils (seconds per test file).
    credentials: {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: id },
    } as BackstageCredentials,
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
