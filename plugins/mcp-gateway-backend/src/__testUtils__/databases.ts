import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { migrateGatewayDatabase } from '../database/gatewayDatabase';

/**
 * SQLite always; PostgreSQL where BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING
 * names one (`.ci/run` sets it, so CI never skips it).
 */
export function gatewayTestDatabases() {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });
  if (!databases.supports('POSTGRES_15')) {
    // eslint-disable-next-line no-console
    console.warn(
      'PostgreSQL tests skipped: set BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING (e.g. postgresql://postgres@127.0.0.1:5432) to run them',
    );
  }
  return {
    ids: databases.eachSupportedId(),
    /** A fresh, migrated database of that engine. */
    async migrated(id: TestDatabaseId): Promise<Knex> {
      const knex = await databases.init(id);
      await migrateGatewayDatabase(knex);
      return knex;
    },
  };
}
