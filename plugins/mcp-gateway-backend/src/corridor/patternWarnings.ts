import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentConfig } from '../config/gatewayConfig';
import { toolPattern } from '../policy/toolPolicy';
import { ALL_PROMPTS } from '../prompts/registry';
import { ALL_RESOURCES } from '../resources/registry';
import { ALL_TOOLS } from '../tools/registry';

/** The names of what the gateway serves, by the policy key that names them. */
export interface ServedNames {
  tools: readonly string[];
  resources: readonly string[];
  prompts: readonly string[];
}

const SERVED: ServedNames = {
  tools: ALL_TOOLS.map(tool => tool.name),
  resources: ALL_RESOURCES.map(resource => resource.name),
  prompts: ALL_PROMPTS.map(prompt => prompt.name),
};

const WHAT = { tools: 'tool', resources: 'resource', prompts: 'prompt' };

/** Tool names of other plugins' actions: known only once they are read. */
const ACTION_TOOL = /^action_/;

/**
 * A typo in a pattern silently grants (or denies) nothing: say so at
 * start-up and on every config reload, for tools, resources and prompts.
 */
export function warnAboutPatternsMatchingNothing(
  agents: readonly AgentConfig[],
  logger: LoggerService,
  { actionsEnabled = false }: { actionsEnabled?: boolean } = {},
  served: ServedNames = SERVED,
): void {
  for (const agent of agents) {
    const lists = [
      ['tools.allow', agent.tools.allow, 'tools'],
      ['tools.deny', agent.tools.deny, 'tools'],
      ['resources.allow', agent.resources.allow, 'resources'],
      ['prompts.allow', agent.prompts.allow, 'prompts'],
    ] as const;
    for (const [key, patterns, kind] of lists) {
      for (const pattern of patterns) {
        const forActions = kind === 'tools' && ACTION_TOOL.test(pattern);
        if (forActions && actionsEnabled) continue;
        if (!served[kind].some(name => toolPattern(pattern).test(name))) {
          logger.warn(
            `${agent.configKey}.${key} pattern '${pattern}' matches no ${
              WHAT[kind]
            } this gateway serves${
              forActions ? ' (mcpGateway.actions.enabled is false)' : ''
            }`,
          );
        }
      }
    }
  }
}
