import { TestDatabases } from '@backstage/backend-test-utils';
import { GatewayTestBackendOptions } from '@mcp-gateway/plugin-mcp-gateway-backend/testUtils';
import { randomBytes } from 'node:crypto';

const POSTGRES_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';

export interface BenchDatabase {
  name: string;
  /**
   * Fresh databases: the `backend` config that puts every plugin on them,
   * and how to drop them once the backend has stopped.
   */
  create(): Promise<{
    backend: GatewayTestBackendOptions['backend'];
    drop(): Promise<void>;
  }>;
}

/**
 * The databases to measure on: SQLite in memory (Backstage's default)
 * always, PostgreSQL 15 when POSTGRES_ENV names a server. Call at the top
 * level of a bench file: it registers the cleanup of what it creates.
 */
export function benchDatabases(): {
  databases: BenchDatabase[];
  skipped: string[];
} {
  const databases: BenchDatabase[] = [
    {
      name: 'SQLite (better-sqlite3, in memory)',
      create: async () => ({
        backend: {
          database: { client: 'better-sqlite3', connection: ':memory:' },
        },
        drop: async () => {},
      }),
    },
  ];
  if (!process.env[POSTGRES_ENV]) {
    return {
      databases,
      skipped: [`PostgreSQL 15: set ${POSTGRES_ENV} to include it`],
    };
  }
  const postgres = TestDatabases.create({
    ids: ['POSTGRES_15'],
    disableDocker: true,
  });
  databases.push({
    name: 'PostgreSQL 15',
    create: async () => {
      // A connection to the server (on an empty database of its own, which
      // TestDatabases drops) that drops the backend's databases after it.
      const admin = await postgres.init('POSTGRES_15');
      const { database: _ownDatabase, ...server } =
        admin.client.config.connection;
      // A database per plugin, as Backstage makes them by default.
      const prefix = `bench_${randomBytes(4).toString('hex')}_`;
      return {
        backend: {
          database: {
            client: 'pg',
            connection: JSON.parse(JSON.stringify(server)),
            prefix,
          },
        },
        async drop() {
          const { rows } = await admin.raw(
            'SELECT datname FROM pg_database WHERE starts_with(datname, ?)',
            [prefix],
          );
          // FORCE: the backend leaves its pools open after it stops.
          for (const { datname } of rows) {
            await admin.raw('DROP DATABASE ?? WITH (FORCE)', [datname]);
          }
        },
      };
    },
  });
  return { databases, skipped: [] };
}
