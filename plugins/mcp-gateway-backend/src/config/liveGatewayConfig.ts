import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { isDeepStrictEqual } from 'node:util';
import { AgentConfig, GatewayConfig, readGatewayConfig } from './gatewayConfig';

/** The config in force, read on every request. */
export type CurrentGatewayConfig = () => GatewayConfig;

export type GatewayConfigListener = (
  next: GatewayConfig,
  previous: GatewayConfig,
) => void;

/**
 * The `mcpGateway` config in force. Read and validated at start-up (an
 * invalid one stops the backend), then again whenever the config source
 * reloads (Backstage watches app-config files): a valid reload takes effect
 * with the next request, an invalid one is refused and logged, and the last
 * valid config stays in force.
 */
export class LiveGatewayConfig {
  private config: GatewayConfig;
  /** The last `mcpGateway` read (as JSON), valid or not: reloads that change nothing of it are ignored. */
  private seen: string;
  private readonly listeners = new Set<GatewayConfigListener>();
  private subscription?: { unsubscribe(): void };

  private constructor(
    private readonly root: Config,
    private readonly logger: LoggerService,
  ) {
    this.seen = jsonOf(root);
    this.config = readGatewayConfig(root);
  }

  /** Reads the config now (throwing if it is invalid) and follows its reloads. */
  static watch(root: Config, logger: LoggerService): LiveGatewayConfig {
    const live = new LiveGatewayConfig(root, logger);
    live.subscription = root.subscribe?.(() => live.reload());
    return live;
  }

  readonly current: CurrentGatewayConfig = () => this.config;

  /** Called after a valid reload took effect; returns the unsubscriber. */
  onChange(listener: GatewayConfigListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * A value built from the config in force, built again (on first use)
   * after a reload: compiled policies, lookup tables.
   */
  derive<T>(build: (config: GatewayConfig) => T): () => T {
    let builtFrom: GatewayConfig | undefined;
    let value: T;
    return () => {
      if (builtFrom !== this.config) {
        value = build(this.config);
        builtFrom = this.config;
      }
      return value;
    };
  }

  stop(): void {
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  private reload() {
    let next: GatewayConfig;
    try {
      const seen = jsonOf(this.root);
      if (seen === this.seen) return;
      this.seen = seen;
      next = readGatewayConfig(this.root);
    } catch (error) {
      this.logger.error(
        `Refused the reloaded MCP gateway configuration; the last valid one stays in force. ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
      return;
    }
    const previous = this.config;
    this.config = next;
    this.logger.info(
      `Reloaded the MCP gateway configuration: ${changesBetween(previous, next)}`,
    );
    for (const listener of this.listeners) {
      try {
        listener(next, previous);
      } catch (error) {
        this.logger.error(
          `A listener of MCP gateway configuration reloads failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    }
  }
}

/** What a reload changed, for operators reading the log. */
export function changesBetween(
  previous: GatewayConfig,
  next: GatewayConfig,
): string {
  const before = byId(previous.policies);
  const after = byId(next.policies);
  const ids = (test: (id: string) => boolean, from: Map<string, AgentConfig>) =>
    [...from.keys()].filter(test);
  const added = ids(id => !before.has(id), after);
  const removed = ids(id => !after.has(id), before);
  const changed = ids(
    id => before.has(id) && !isDeepStrictEqual(before.get(id), after.get(id)),
    after,
  );
  const parts = [
    added.length && `agents added: ${added.join(', ')}`,
    removed.length && `agents removed: ${removed.join(', ')}`,
    changed.length && `policies changed: ${changed.join(', ')}`,
    previous.killSwitch !== next.killSwitch &&
      `mcpGateway.killSwitch ${next.killSwitch ? 'engaged' : 'released'}`,
    ...(['admins', 'allowedOrigins', 'audit', 'locationGuard'] as const).map(
      key =>
        !isDeepStrictEqual(previous[key], next[key]) &&
        `mcpGateway.${key} changed`,
    ),
  ].filter((part): part is string => Boolean(part));
  return parts.length ? parts.join('; ') : 'no effective change';
}

function jsonOf(root: Config): string {
  return JSON.stringify(root.getOptional('mcpGateway') ?? null);
}

function byId(policies: AgentConfig[]): Map<string, AgentConfig> {
  return new Map(policies.map(policy => [policy.id, policy]));
}
