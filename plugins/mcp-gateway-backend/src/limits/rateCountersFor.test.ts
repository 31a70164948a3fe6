import { fakeLogger } from '../__testUtils__/unitDoubles';
import { ConfigReader } from '@backstage/config';
import { Knex } from 'knex';
import { DatabaseRateCounters } from './databaseRateCounters';
import { rateCountersFor } from './rateCountersFor';
import { RedisRateCounters } from './redisRateCounters';

const knex = {} as Knex;

describe('rateCountersFor', () => {
  it('counts in Redis when the backend cache is Redis, never logging its URL', async () => {
    const logger = fakeLogger();
    const counters = rateCountersFor(
      new ConfigReader({
        backend: {
          cache: { store: 'redis', connection: 'redis://:s3cret@r:6379' },
        },
      }),
      knex,
      logger,
    );
    expect(counters).toBeInstanceOf(RedisRateCounters);
    expect(logger.info).toHaveBeenCalledWith(
      expect.stringContaining('counted in Redis'),
    );
    expect(JSON.stringify(logger.info.mock.calls)).not.toContain('s3cret');
    await counters.close?.();
  });

  it('counts in the database otherwise', () => {
    const counters = rateCountersFor(
      new ConfigReader({ backend: { cache: { store: 'memory' } } }),
      knex,
    );
    expect(counters).toBeInstanceOf(DatabaseRateCounters);
  });
});
