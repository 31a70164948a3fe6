import { ResponseError } from '@backstage/errors';
import { serviceCaller } from './unitDoubles';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  ScaffolderService,
  scaffolderServiceMock,
} from '@backstage/plugin-scaffolder-node/testUtils';
import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ActionsService } from '@backstage/backend-plugin-api/alpha';
import {
  CallerServicesFactory,
  DownstreamOptions,
} from '../downstream/callerServices';
import { PluginRequests } from '../downstream/pluginRequests';
import { ScaffolderTaskEvents } from '../downstream/scaffolderTaskEvents';
import { StartedTasks } from '../downstream/startedTasks';
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
    plugins?: PluginRequests;
    actions?: ActionsService;
  } = {},
) {
  const caller = serviceCaller(agentJson);
  const dataPolicies = new AgentDataPolicies();
  const redaction = dataPolicies.of(caller.agent).redaction.session();
  return {
    caller,
    redaction,
    ...new CallerServicesFactory(
      unitDownstreamOptions({
        catalog,
        scaffolder: options.scaffolder,
        plugins: options.plugins,
        actions: options.actions,
        permissionsEnabled: options.permissionsEnabled,
        dataPolicies,
      }),
    ).bind(caller, redaction, new AbortController().signal),
  };
}

/**
 * Downstream options for unit tests: the given catalog, and mocks for the
 * rest (a scaffolder mock, no task events, no started tasks, no actions).
 */
export function unitDownstreamOptions(options: {
  catalog: CatalogService;
  dataPolicies: AgentDataPolicies;
  scaffolder?: ScaffolderService;
  plugins?: PluginRequests;
  actions?: ActionsService;
  permissionsEnabled?: boolean;
}): DownstreamOptions {
  return {
    catalog: options.catalog,
    scaffolder: options.scaffolder ?? scaffolderServiceMock.mock(),
    plugins: options.plugins ?? pluginAnswers(() => undefined),
    actions: options.actions ?? {
      list: async () => ({ actions: [] }),
      invoke: jest.fn(),
    },
    taskEvents: { read: async () => [] } as unknown as ScaffolderTaskEvents,
    startedTasks: {
      record: async (task: object) => ({ ...task, createdAt: 0 }),
      find: async () => undefined,
      ownedBy: async () => [],
    } as unknown as StartedTasks,
    urlReader: {
      readUrl: jest.fn(),
      readTree: jest.fn(),
      search: jest.fn(),
    } as UrlReaderService,
    permissionsEnabled: options.permissionsEnabled ?? false,
    dataPolicies: options.dataPolicies,
  };
}

/**
 * Plugin HTTP answers for unit tests: `answer(pluginId, path)` gives the
 * JSON or text a plugin would send; undefined reads as a 404.
 */
export function pluginAnswers(
  answer: (pluginId: string, path: string) => unknown,
): PluginRequests & { asked: string[] } {
  const asked: string[] = [];
  const respond = async (pluginId: string, path: string) => {
    asked.push(`${pluginId}${path}`);
    const body = answer(pluginId, path);
    if (body === undefined) {
      throw await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotFoundError', message: 'Not found' },
          }),
          { status: 404, headers: { 'content-type': 'application/json' } },
        ),
      );
    }
    return body;
  };
  return {
    asked,
    get: async () => {
      throw new Error('pluginAnswers answers getJson and getText only');
    },
    getJson: respond,
    getText: respond,
  } as unknown as PluginRequests & { asked: string[] };
}
