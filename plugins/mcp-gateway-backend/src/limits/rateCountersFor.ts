import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { Knex } from 'knex';
import { DatabaseRateCounters } from './databaseRateCounters';
import { RateCounters } from './rateCounters';
import { RedisRateCounters, redisConnectionOf } from './redisRateCounters';

/**
 * Where every replica counts calls: the backend cache's Redis (or Valkey)
 * when there is one, else the plugin's database. Connects lazily.
 */
export function rateCountersFor(
  config: Config,
  knex: Knex,
  logger?: LoggerService,
): RateCounters {
  const redisUrl = redisConnectionOf(config);
  if (redisUrl) {
    logger?.info(
      'Rate limits are counted in Redis (backend.cache.connection), shared by every replica',
    );
    return new RedisRateCounters(redisUrl, { logger });
  }
  logger?.info(
    "Rate limits are counted in the plugin's database, shared by every replica",
  );
  return new DatabaseRateCounters(knex);
}
