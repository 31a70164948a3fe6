import { LoggerService } from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { Request } from 'express';
import { AgentConfig, GatewayConfig } from '../config/gatewayConfig';
import { CurrentGatewayConfig } from '../config/liveGatewayConfig';
import { AdminFailure } from './adminFailure';
import { AdminStores } from './adminStores';

/** What the admin actions read and change. */
export interface AdminActionDeps {
  /** The config in force, read per request: a reload may change it. */
  config: CurrentGatewayConfig;
  stores: AdminStores;
  logger: LoggerService;
}

/** The configured agent (or the default agent, `default`) of that id; 404 otherwise. */
export function agentOf(config: GatewayConfig, id: string): AgentConfig {
  const agent = config.policies.find(policy => policy.id === id);
  if (!agent) {
    throw new AdminFailure(
      404,
      `No agent '${id.slice(0, 100)}' is configured. Agents are listed in mcpGateway.agents (and mcpGateway.defaultAgent, whose id is 'default').`,
      { code: 'unknown-agent' },
    );
  }
  return agent;
}

/** Those fields of a JSON object body, as sent, for the audit record. */
export function bodyFields(req: Request, keys: string[]): JsonObject {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {};
  }
  return Object.fromEntries(
    keys
      .filter(key => Object.hasOwn(body, key))
      .map(key => [key, (body as JsonObject)[key]]),
  );
}
