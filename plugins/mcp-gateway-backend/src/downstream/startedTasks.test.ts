import { gatewayTestDatabases } from '../__testUtils__/databases';
import { StartedTasks } from './startedTasks';

const databases = gatewayTestDatabases();

describe('StartedTasks', () => {
  it.each(databases.ids)('records a task and finds it on %p', async id => {
    const knex = await databases.migrated(id);
    const tasks = new StartedTasks(knex, () => 1_700_000_000_000);
    await tasks.record({
      taskId: 't-1',
      agentId: 'platform-automation',
      owner: 'platform-automation',
      templateRef: 'template:default/new-service',
    });
    expect(await tasks.find('t-1')).toEqual({
      taskId: 't-1',
      agentId: 'platform-automation',
      owner: 'platform-automation',
      templateRef: 'template:default/new-service',
      createdAt: 1_700_000_000_000,
    });
    expect(await tasks.find('t-2')).toBeUndefined();
  });

  it.each(databases.ids)(
    "lists one owner's tasks newest first, page by page, never another's, on %p",
    async id => {
      const knex = await databases.migrated(id);
      let now = 1000;
      const tasks = new StartedTasks(knex, () => now);
      const alice = { agentId: 'portal-chat', owner: 'user:default/alice' };
      const bob = { agentId: 'portal-chat', owner: 'user:default/bob' };
      const otherAgent = { agentId: 'platform-automation', owner: alice.owner };
      // Two tasks in the same millisecond: the id orders them.
      for (const [taskId, owner, at] of [
        ['a1', alice, 1000],
        ['b1', bob, 1500],
        ['a2', alice, 2000],
        ['a3', alice, 2000],
        ['o1', otherAgent, 2500],
        ['a4', alice, 3000],
      ] as const) {
        now = at;
        await tasks.record({
          taskId,
          ...owner,
          templateRef: 'template:default/x',
        });
      }

      const first = await tasks.ownedBy(alice, { limit: 2 });
      expect(first.map(t => t.taskId)).toEqual(['a4', 'a3']);
      const last = first[first.length - 1];
      const second = await tasks.ownedBy(alice, { limit: 2, after: last });
      expect(second.map(t => t.taskId)).toEqual(['a2', 'a1']);
      expect(
        await tasks.ownedBy(alice, { limit: 2, after: second[1] }),
      ).toEqual([]);
      expect(
        (await tasks.ownedBy(bob, { limit: 10 })).map(t => t.taskId),
      ).toEqual(['b1']);
    },
  );
});
