import { serviceCaller } from './unitDoubles';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  ScaffolderService,
  scaffolderServiceMock,
} from '@backstage/plugin-scaffolder-node/testUtils';
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
  options: {
    permissionsEnabled?: boolean;
    scaffolder?: ScaffolderService;
  } = {},
) {
  const caller = serviceCaller(agentJson);
  const dataPolicies = new AgentDataPolicies();
  const redaction = dataPolicies.of(caller.agent).redaction.session();
  return {
    caller,
    redaction,
    ...new CallerServicesFactory({
      catalog,
      scaffolder: options.scaffolder ?? scaffolderServiceMock.mock(),
      permissionsEnabled: options.permissionsEnabled ?? false,
      dataPolicies,
    }).bind(caller, redaction, new AbortController().signal),
  };
}
