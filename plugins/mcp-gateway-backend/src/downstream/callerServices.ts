import { CatalogService } from '@backstage/plugin-catalog-node';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { Caller } from '../core/caller';
import { AgentDataPolicies } from '../policy/agentDataPolicy';
import { CallerDataPolicy } from '../policy/callerDataPolicy';
import { RedactionSession } from '../policy/redaction';
import { abortable } from './abortable';
import { CallerCatalog, readableLookup } from './callerCatalog';
import { CallerTemplates } from './callerTemplates';

/**
 * Every downstream service an operation may use, each already bound to the
 * caller: its credentials on every request, the agent's data policy on
 * everything that goes in and comes out. Adding a service: a field here
 * and a line in `bind`.
 */
export interface CallerServices {
  catalog: CallerCatalog;
  templates: CallerTemplates;
}

export interface DownstreamOptions {
  catalog: CatalogService;
  scaffolder: ScaffolderService;
  /** Whether Backstage's permission framework is on (`permission.enabled`). */
  permissionsEnabled: boolean;
  dataPolicies: AgentDataPolicies;
}

/**
 * Binds the downstream services to one call's caller, redaction session
 * and signal (a cut call starts no further downstream request).
 */
export class CallerServicesFactory {
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
    return {
      catalog: callerCatalog,
      templates: new CallerTemplates(
        abortable(this.options.scaffolder, signal),
        callerCatalog,
        caller,
      ),
    };
  }
}
