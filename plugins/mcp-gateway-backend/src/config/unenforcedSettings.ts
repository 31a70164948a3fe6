import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentConfig, GatewayConfig } from './gatewayConfig';

/**
 * Policy keys that readGatewayConfig validates but the gateway does not
 * enforce yet. Delete an entry in the change that enforces its key.
 * `isSet` is true when the key asks for something: an empty allow list is
 * the closed default, so it warns only for a list with entries.
 */
const UNENFORCED_SETTINGS: ReadonlyArray<{
  key: keyof AgentConfig;
  isSet(policy: AgentConfig): boolean;
}> = [{ key: 'templates', isSet: policy => policy.templates.allow.length > 0 }];

/**
 * Logs a warning (at start-up and on every reload) for every policy key that is set but not enforced
 * yet, so nobody mistakes it for a protection: one per agent (and the default
 * agent) per key, naming the key's config path.
 */
export function warnAboutUnenforcedSettings(
  config: GatewayConfig,
  logger: LoggerService,
): void {
  for (const policy of config.policies) {
    for (const { key, isSet } of UNENFORCED_SETTINGS) {
      if (isSet(policy)) {
        logger.warn(
          `${policy.configKey}.${key} is set, but this version of the MCP gateway only validates it and does not enforce it yet: it is not a protection`,
        );
      }
    }
  }
}
