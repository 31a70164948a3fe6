import { UrlReaderService } from '@backstage/backend-plugin-api';
import { ActionsService } from '@backstage/backend-plugin-api/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { Caller } from '../core/caller';
import { AgentDataPolicies } from '../policy/agentDataPolicy';
import { CallerDataPolicy } from '../policy/callerDataPolicy';
import { RedactionSession } from '../policy/redaction';
import { abortable } from './abortable';
import { CallerActions } from './actions/callerActions';
import { CallerCatalog, readableLookup } from './callerCatalog';
import { CallerTasks } from './callerTasks';
import { CallerTemplates } from './callerTemplates';
import { PluginRequests } from './pluginRequests';
import { ScaffolderTaskEvents } from './scaffolderTaskEvents';
import { CallerSearch } from './search/callerSearch';
import { StartedTasks } from './startedTasks';
import { CallerTechDocs } from './techdocs/callerTechDocs';
import { MarkdownPages } from './techdocs/markdownPages';

/**
 * Every downstream service an operation may use, each already bound to the
 * caller: its credentials on every request, the agent's data policy on
 * everything that goes in and comes out. Adding a service: a field here
 * and a line in `bind`.
 */
export interface CallerServices {
  catalog: CallerCatalog;
  templates: CallerTemplates;
  tasks: CallerTasks;
  techdocs: CallerTechDocs;
  search: CallerSearch;
  /** Other plugins' actions (Backstage's actions registry). */
  actions: CallerActions;
}

export interface DownstreamOptions {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  /** A task's events, read with a deadline (see ScaffolderTaskEvents). */
  taskEvents: ScaffolderTaskEvents;
  /** Which tasks were started through the gateway, and for whom. */
  startedTasks: StartedTasks;
  /** TechDocs and search, which have no service refs: HTTP on the caller's behalf. */
  plugins: PluginRequests;
  /** Other plugins' actions, invoked on the caller's behalf. */
  actions: ActionsService;
  /** Reads a template's files for its dry run. */
  urlReader: UrlReaderService;
  /** Whether Backstage's permission framework is on (`permission.enabled`). */
  permissionsEnabled: boolean;
  dataPolicies: AgentDataPolicies;
}

/**
 * Binds the downstream services to one call's caller, redaction session
 * and signal (a cut call starts no further downstream request).
 */
export class CallerServicesFactory {
  /** Shared by every call: the parts of a long page are read call by call. */
  private readonly markdownPages = new MarkdownPages();

  constructor(private readonly options: DownstreamOptions) {}

  bind(
    caller: Caller,
    redaction: RedactionSession,
    signal: AbortSignal,
  ): CallerServices {
    const { permissionsEnabled, dataPolicies } = this.options;
    const catalog = abortable(this.options.catalog, signal);
    const policy = dataPolicies.of(caller.agent);
    // One data policy per call, shared by every service, so what one
    // service learned the caller may read is not asked again by another.
    const dataPolicy = new CallerDataPolicy({
      caller,
      policy,
      redaction,
      permissionsEnabled,
      lookup: readableLookup(catalog, caller, policy.visibility?.predicate),
    });
    const callerCatalog = new CallerCatalog(catalog, caller, dataPolicy);
    const scaffolder = abortable(this.options.scaffolder, signal);
    return {
      catalog: callerCatalog,
      templates: new CallerTemplates(
        scaffolder,
        callerCatalog,
        caller,
        abortable(this.options.urlReader, signal),
      ),
      tasks: new CallerTasks(
        this.options.scaffolder,
        this.options.taskEvents,
        this.options.startedTasks,
        caller,
        signal,
      ),
      techdocs: new CallerTechDocs(
        this.options.plugins,
        this.markdownPages,
        callerCatalog,
        caller,
        signal,
      ),
      search: new CallerSearch(
        this.options.plugins,
        callerCatalog,
        caller,
        signal,
      ),
      actions: new CallerActions(
        abortable(this.options.actions, signal),
        caller,
        dataPolicy,
      ),
    };
  }
}
