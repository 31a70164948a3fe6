import { gatewayTestDatabases } from '../__testUtils__/databases';
import { isPostgres } from './postgresNotifications';
import {
  CONTROL_CHANNEL,
  ControlSwitches,
  GATEWAY_TARGET,
} from './controlSwitches';

const databases = gatewayTestDatabases();

describe('ControlSwitches', () => {
  it.each(databases.ids)('round-trips what it sets on %p', async id => {
    const knex = await databases.migrated(id);
    const switches = new ControlSwitches(knex, () => 1_700_000_000_000);

    expect(await switches.readAll()).toEqual([]);
    const written = await switches.set({
      target: 'sleepy',
      off: true,
      reason: 'leaking tokens',
      changedBy: 'user:default/alice',
    });
    const expected = {
      target: 'sleepy',
      off: true,
      reason: 'leaking tokens',
      changedBy: 'user:default/alice',
      changedAt: '2023-11-14T22:13:20.000Z',
    };
    expect(written).toEqual(expected);
    expect(await switches.readAll()).toEqual([expected]);
    expect(await knex('control_switches').count({ n: '*' })).toEqual([
      { n: isPostgres(knex) ? '1' : 1 },
    ]);
  });

  it.each(databases.ids)(
    'upserts: one row per target, the last set wins, enable after disable on %p',
    async id => {
      const knex = await databases.migrated(id);
      let now = 1000;
      const switches = new ControlSwitches(knex, () => now);

      await switches.set({ target: 'sleepy', off: true, changedBy: 'alice' });
      await switches.set({
        target: GATEWAY_TARGET,
        off: true,
        reason: 'incident',
        changedBy: 'bob',
      });
      now = 2000;
      await switches.set({ target: 'sleepy', off: false, changedBy: 'carol' });

      expect(await switches.readAll()).toEqual([
        {
          target: '*',
          off: true,
          reason: 'incident',
          changedBy: 'bob',
          changedAt: new Date(1000).toISOString(),
        },
        {
          target: 'sleepy',
          off: false,
          changedBy: 'carol',
          changedAt: new Date(2000).toISOString(),
        },
      ]);
    },
  );

  it.each(databases.ids)(
    'announces a change only when it is committed on %p',
    async id => {
      const knex = await databases.migrated(id);
      if (!isPostgres(knex)) return; // no notifications on SQLite
      const listener = await knex.client.acquireRawConnection();
      try {
        const heard: string[] = [];
        listener.on('notification', (message: { payload: string }) =>
          heard.push(message.payload),
        );
        await listener.query(`LISTEN ${CONTROL_CHANNEL}`);

        const switches = new ControlSwitches(knex);
        await switches.set({ target: 'sleepy', off: true, changedBy: 'a' });
        await expect(
          knex.transaction(async trx => {
            await new ControlSwitches(trx).set({
              target: 'rolled-back',
              off: true,
              changedBy: 'a',
            });
            throw new Error('roll back');
          }),
        ).rejects.toThrow('roll back');
        await switches.set({ target: '*', off: true, changedBy: 'a' });

        await waitUntil(() => heard.length >= 2);
        expect(heard).toEqual(['sleepy', '*']);
      } finally {
        await knex.client.destroyRawConnection(listener);
      }
    },
  );
});

async function waitUntil(condition: () => boolean, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}
