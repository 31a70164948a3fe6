import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readGatewayConfig } from '../config/gatewayConfig';
import { decideTool } from '../policy/toolPolicy';
import { ALL_TOOLS } from '../tools/registry';

/**
 * The names of the tools an agent's app-config policy allows (none if it is
 * disabled), in the order the gateway serves them, before Backstage's
 * permission framework has its say. `agent` is written as in
 * `mcpGateway.agents`; without an `id` it is read as `mcpGateway.defaultAgent`.
 */
export function toolsAllowedFor(agent: JsonObject): string[] {
  if (agent.enabled === false) {
    return [];
  }
  const gateway = readGatewayConfig(
    new ConfigReader({
      mcpGateway: 'id' in agent ? { agents: [agent] } : { defaultAgent: agent },
    }),
  );
  const [policy] = gateway.policies;
  return ALL_TOOLS.filter(
    tool =>
      decideTool(policy, { name: tool.name, access: tool.access }).allowed,
  ).map(tool => tool.name);
}
