import { LoggerService } from '@backstage/backend-plugin-api';
import { AgentConfig } from '../config/gatewayConfig';
import { Caller } from '../core/caller';
import { Gate } from '../core/gate';
import { changesState, Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { RateCounters } from './rateCounters';
import { RateLimit, WINDOW_MS, windowAt } from './rateWindows';

/** One budget a call spends: all requests, or the writes among them. */
interface Budget {
  bucket: string;
  allowed: number;
  /** Singular and plural, for the refusal's message. */
  unit: [string, string];
  /** The config key the refusal names. */
  key: string;
}

/**
 * The limits stage: each call spends one unit of its agent's request budget
 * in the current fixed window, and a write one of its write budget too.
 * Listings spend nothing. When the counters cannot be read, calls are
 * refused (fail closed): a limit nobody can check is no limit.
 */
export class RateLimitGate implements Gate {
  readonly stage = 'limits';
  readonly appliesTo = 'call';
  private storeHealthy = true;

  constructor(
    private readonly counters: RateCounters,
    private readonly now: () => number = Date.now,
    /** Told once when the counters fail, and once when they recover. */
    private readonly logger?: LoggerService,
  ) {}

  async decide({ agent }: Caller, operations: readonly Operation[]) {
    const limit = agent.rateLimit;
    if (!limit) return operations.map(() => undefined);
    const decisions: Array<GatewayRefusal | undefined> = [];
    // One after the other, so the counters see the calls in their order.
    for (const operation of operations) {
      decisions.push(await this.spend(agent, limit, operation));
    }
    return decisions;
  }

  private async spend(
    agent: AgentConfig,
    limit: RateLimit,
    operation: Operation,
  ): Promise<GatewayRefusal | undefined> {
    const budgets = budgetsOf(agent, limit, operation);
    const now = this.now();
    const windowMs = WINDOW_MS[limit.per];
    const window = windowAt(now, windowMs);
    // Writes first: a write refused by its own budget spends none of the
    // request budget, so an agent that keeps writing can still read.
    for (const budget of budgets) {
      if (budget.allowed === 0) {
        return new GatewayRefusal(
          this.stage,
          'rate-limited',
          `Agent '${agent.id}' may make no ${budget.unit[1]} (${budget.key}: 0).`,
        );
      }
      let count: number;
      try {
        count = await this.counters.increment(
          budget.bucket,
          window.start,
          windowMs,
        );
      } catch (error) {
        return this.unavailable(error);
      }
      this.recovered();
      if (count > budget.allowed) {
        // At least 1: the window ends after now.
        const retryAfterSeconds = Math.ceil((window.end - now) / 1000);
        return new GatewayRefusal(
          this.stage,
          'rate-limited',
          `Agent '${agent.id}' has used its rate limit of ${plural(
            budget.allowed,
            budget.unit,
          )} per ${limit.per} (${budget.key}). Try again in ${plural(
            retryAfterSeconds,
            ['second', 'seconds'],
          )}.`,
          retryAfterSeconds,
        );
      }
    }
    return undefined;
  }

  private unavailable(error: unknown) {
    if (this.storeHealthy) {
      this.logger?.warn(
        `Rate limits cannot be checked, so rate-limited calls are refused until the counters answer again: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
    this.storeHealthy = false;
    return new GatewayRefusal(
      this.stage,
      'limits-unavailable',
      "The gateway could not check this agent's rate limit, so the call was refused. Try again shortly.",
    );
  }

  private recovered() {
    if (!this.storeHealthy) {
      this.logger?.info('Rate limits can be checked again');
    }
    this.storeHealthy = true;
  }
}

function budgetsOf(
  agent: AgentConfig,
  limit: RateLimit,
  operation: Operation,
): Budget[] {
  const key = `${agent.configKey}.rateLimit`;
  const requests: Budget = {
    bucket: `${agent.id}:requests`,
    allowed: limit.requests,
    unit: ['request', 'requests'],
    key,
  };
  if (!changesState(operation.access) || limit.writes === undefined) {
    return [requests];
  }
  const writes: Budget = {
    bucket: `${agent.id}:writes`,
    allowed: limit.writes,
    unit: ['write', 'writes'],
    key: `${key}.writes`,
  };
  return [writes, requests];
}

function plural(n: number, [one, many]: [string, string]) {
  return `${n} ${n === 1 ? one : many}`;
}
