import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const MIGRATIONS_DIRECTORY = resolvePackagePath(
  '@mcp-gateway/plugin-mcp-gateway-backend',
  'migrations',
);

/** Brings a database to the gateway's latest schema. */
export async function migrateGatewayDatabase(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: MIGRATIONS_DIRECTORY });
}

/**
 * The plugin's own database, migrated unless the adopter set
 * `backend.database.plugin.mcp-gateway.migrations.skip` (or the global
 * flag) to run migrations themselves.
 */
export async function connectGatewayDatabase(
  database: DatabaseService,
): Promise<Knex> {
  const knex = await database.getClient();
  if (!database.migrations?.skip) {
    await migrateGatewayDatabase(knex);
  }
  return knex;
}

/** Milliseconds since the epoch, as the tables store times (PostgreSQL returns bigint as text). */
export function millisOf(value: string | number | null | undefined) {
  return value === null || value === undefined ? undefined : Number(value);
}
