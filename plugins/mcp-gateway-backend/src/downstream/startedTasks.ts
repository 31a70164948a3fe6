import { Knex } from 'knex';
import { millisOf } from '../database/gatewayDatabase';

/**
 * Whose a task is, as far as the gateway decides: the agent that started
 * it, and the signed-in user it acted for (else its principal). One
 * agent's callers do not see each other's tasks.
 */
export interface TaskOwner {
  agentId: string;
  owner: string;
}

export interface StartedTask extends TaskOwner {
  taskId: string;
  templateRef: string;
  createdAt: number;
}

/** Where a listing of one owner's tasks goes on: the last task it showed. */
export interface StartedTasksPosition {
  createdAt: number;
  taskId: string;
}

const TABLE = 'started_tasks';

/**
 * The scaffolder tasks run_template started, in the gateway's database so
 * every replica knows them. The scaffolder records a task's creator only
 * for user principals; this records every task's agent and owner.
 */
export class StartedTasks {
  constructor(
    private readonly knex: Knex,
    private readonly now: () => number = Date.now,
  ) {}

  async record(task: Omit<StartedTask, 'createdAt'>): Promise<StartedTask> {
    const started = { ...task, createdAt: this.now() };
    await this.knex(TABLE).insert({
      task_id: started.taskId,
      agent_id: started.agentId,
      owner: started.owner,
      template_ref: started.templateRef,
      created_at: started.createdAt,
    });
    return started;
  }

  async find(taskId: string): Promise<StartedTask | undefined> {
    const row = await this.knex(TABLE).where({ task_id: taskId }).first();
    return row ? fromRow(row) : undefined;
  }

  /** One owner's tasks, newest first, after a position of a previous page. */
  async ownedBy(
    owner: TaskOwner,
    { limit, after }: { limit: number; after?: StartedTasksPosition },
  ): Promise<StartedTask[]> {
    const query = this.knex(TABLE)
      .where({ agent_id: owner.agentId, owner: owner.owner })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'task_id', order: 'desc' },
      ])
      .limit(limit);
    if (after) {
      query.andWhere(older =>
        older
          .where('created_at', '<', after.createdAt)
          .orWhere(same =>
            same
              .where('created_at', '=', after.createdAt)
              .andWhere('task_id', '<', after.taskId),
          ),
      );
    }
    return (await query).map(fromRow);
  }
}

function fromRow(row: Record<string, any>): StartedTask {
  return {
    taskId: row.task_id,
    agentId: row.agent_id,
    owner: row.owner,
    templateRef: row.template_ref,
    createdAt: millisOf(row.created_at)!,
  };
}
