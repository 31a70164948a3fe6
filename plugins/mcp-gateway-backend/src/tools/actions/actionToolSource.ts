import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ActionsService,
  ActionsServiceAction,
} from '@backstage/backend-plugin-api/alpha';
import { ActionsConfig } from '../../config/gatewayConfig';
import { compiledList } from '../../config/patterns';
import { Operation } from '../../core/operation';
import { SourcedTool, ToolSource } from '../source';
import { actionTool, listedInputSchema } from './actionTool';
import { actionToolName } from './actionToolName';
import { SUPERSEDED_ACTIONS } from './supersededActions';

export const ACTIONS_SOURCE = 'actions';

interface ServedAction {
  actionId: string;
  tool: SourcedTool;
}

export interface ActionToolSourceOptions {
  actions: ActionsService;
  auth: AuthService;
  /** Read on every listing and call: a reload takes effect at once. */
  config: () => ActionsConfig;
  logger: LoggerService;
}

/**
 * Other plugins' actions (Backstage's actions registry) as tools. The list
 * is read in the background (`refresh`, on a schedule) and kept: listings
 * and calls never wait for it, and an action that stops being listed stops
 * being callable at the next refresh. Which actions are served is decided
 * per request from the live config; who may call them, by the corridor's
 * gates, as for the gateway's own tools.
 *
 * The list is read with the gateway's own service credentials: it is the
 * registry's metadata, not anyone's data. Every invocation is made on the
 * caller's behalf, and an action's own visibility permission is checked by
 * its plugin then.
 */
export class ActionToolSource implements ToolSource {
  readonly id = ACTIONS_SOURCE;
  private served = new Map<string, ServedAction>();
  /** Problems already logged, so a refresh repeats none of them. */
  private readonly reported = new Set<string>();

  constructor(private readonly options: ActionToolSourceOptions) {}

  async toolsFor(): Promise<SourcedTool[]> {
    return [...this.served.values()]
      .filter(served => this.isServed(served.actionId))
      .map(served => served.tool);
  }

  async toolFor(_caller: unknown, name: string) {
    const served = this.served.get(name);
    return served && this.isServed(served.actionId) ? served.tool : undefined;
  }

  async operationNamed(name: string): Promise<Operation | undefined> {
    return (await this.toolFor(undefined, name))?.operation;
  }

  /**
   * Reads the registry's actions again. A failed read keeps what was
   * served before: a plugin restarting must not empty every agent's list.
   */
  async refresh(): Promise<void> {
    if (!this.options.config().enabled) return;
    const { actions, auth, logger } = this.options;
    let listed: ActionsServiceAction[];
    try {
      ({ actions: listed } = await actions.list({
        credentials: await auth.getOwnServiceCredentials(),
      }));
    } catch (error) {
      logger.warn(
        'Could not read the actions registry; serving the actions read before',
        error instanceof Error ? error : new Error(String(error)),
      );
      return;
    }
    const before = new Set(this.served.keys());
    this.served = this.toServe(listed);
    const added = [...this.served.keys()].filter(name => !before.has(name));
    const removed = [...before].filter(name => !this.served.has(name));
    if (added.length || removed.length) {
      logger.info(
        `Actions served as tools: ${this.served.size}${
          added.length ? `; new: ${added.join(', ')}` : ''
        }${removed.length ? `; gone: ${removed.join(', ')}` : ''}`,
      );
    }
  }

  private toServe(listed: ActionsServiceAction[]): Map<string, ServedAction> {
    const candidates = new Map<string, ServedAction[]>();
    for (const action of listed) {
      const superseding = SUPERSEDED_ACTIONS.get(action.id);
      if (superseding) {
        this.report(
          `Action '${action.id}' is not served: the gateway's own ${superseding} does the same under the agent's policy`,
          'info',
        );
        continue;
      }
      const served = this.toolOf(action);
      if (served) {
        const name = served.tool.operation.name;
        candidates.set(name, [...(candidates.get(name) ?? []), served]);
      }
    }
    const result = new Map<string, ServedAction>();
    for (const [name, claims] of candidates) {
      if (claims.length > 1) {
        // Neither wins: which one an agent called would depend on list order.
        this.report(
          `Actions ${claims
            .map(c => `'${c.actionId}'`)
            .join(
              ' and ',
            )} are not served: they would share the tool name ${name}`,
        );
      } else {
        result.set(name, claims[0]);
      }
    }
    return result;
  }

  private toolOf(action: ActionsServiceAction): ServedAction | undefined {
    const named = actionToolName(action.pluginId, action.name);
    if ('problem' in named) return this.skip(action, named.problem);
    const input = listedInputSchema(action);
    if ('problem' in input) return this.skip(action, input.problem);
    if (action.schema?.secrets) {
      return this.skip(
        action,
        'it needs secrets, which the gateway does not take from agents',
      );
    }
    return {
      actionId: action.id,
      tool: actionTool(action, named.name, input.schema),
    };
  }

  private skip(action: ActionsServiceAction, problem: string): undefined {
    this.report(`Action '${action.id}' is not served: ${problem}`);
    return undefined;
  }

  private isServed(actionId: string): boolean {
    const { enabled, include, exclude } = this.options.config();
    return (
      enabled &&
      compiledList(include).some(pattern => pattern.test(actionId)) &&
      !compiledList(exclude).some(pattern => pattern.test(actionId))
    );
  }

  private report(message: string, level: 'warn' | 'info' = 'warn') {
    if (this.reported.has(message)) return;
    this.reported.add(message);
    this.options.logger[level](message);
  }
}
