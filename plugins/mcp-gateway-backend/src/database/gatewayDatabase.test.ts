import { gatewayTestDatabases } from '../__testUtils__/databases';

const databases = gatewayTestDatabases();

describe('the gateway database', () => {
  it.each(databases.ids)('migrates up and back down on %p', async id => {
    const knex = await databases.migrated(id);
    for (const table of [
      'audit_records',
      'control_switches',
      'rate_counters',
      'shared_secrets',
    ]) {
      expect(await knex.schema.hasTable(table)).toBe(true);
    }
    await knex.migrate.rollback(
      { directory: `${__dirname}/../../migrations` },
      true,
    );
    expect(await knex.schema.hasTable('audit_records')).toBe(false);
  });
});
