import { JsonObject, JsonValue } from '@backstage/types';
import { NotFoundError, ResponseError } from '@backstage/errors';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { Caller } from '../core/caller';
import { mapStrings } from '../core/mapStrings';
import { abortable } from './abortable';
import { ScaffolderTaskEvents, TaskEvent } from './scaffolderTaskEvents';
import {
  StartedTask,
  StartedTasks,
  StartedTasksPosition,
} from './startedTasks';

export type { TaskEvent } from './scaffolderTaskEvents';
export type ScaffolderTask = Awaited<ReturnType<ScaffolderService['getTask']>>;
export type DryRunRequest = Parameters<ScaffolderService['dryRun']>[0];
export type DryRunResult = Awaited<ReturnType<ScaffolderService['dryRun']>>;

/** A task the listing could not read back from the scaffolder. */
export const UNAVAILABLE = 'unavailable';

/** Statuses after which a task changes no more. */
export const FINISHED: ReadonlySet<string> = new Set([
  'completed',
  'failed',
  'cancelled',
]);

/**
 * Scaffolder tasks as one call's caller reaches them. A task is this
 * agent's when it started it for the same user (or, without one, the same
 * principal), or when the signed-in user it acts for created it; with
 * `templates.tasks: all`, any task the scaffolder lets the caller read.
 * Any other task is "not found", whether or not it exists. Every request
 * goes to the scaffolder with the caller's credentials.
 */
export class CallerTasks {
  /** Tasks this call already found the caller may reach. */
  private readonly reachable = new Set<string>();
  /** Every request but starting a task ends when the call is cut. */
  private readonly scaffolder: ScaffolderService;

  constructor(
    private readonly unguardedScaffolder: ScaffolderService,
    private readonly events: ScaffolderTaskEvents,
    private readonly started: StartedTasks,
    private readonly caller: Caller,
    private readonly signal: AbortSignal,
  ) {
    this.scaffolder = abortable(unguardedScaffolder, signal);
  }

  /** Whose tasks the caller's own are. */
  private get owner() {
    return {
      agentId: this.caller.agent.id,
      owner: this.caller.user ?? this.caller.principal,
    };
  }

  private get options() {
    return { credentials: this.caller.credentials };
  }

  /**
   * Starts a task and records it as this caller's. Once asked for, the task
   * is recorded even if the call is cut meanwhile: a client that hangs up
   * neither cancels its task nor loses it.
   */
  async start(request: {
    templateRef: string;
    values: JsonObject;
    secrets: Record<string, string>;
  }): Promise<string> {
    this.signal.throwIfAborted();
    const { taskId } = await this.unguardedScaffolder.scaffold(
      {
        templateRef: request.templateRef,
        values: request.values as Record<string, JsonValue>,
        secrets: request.secrets,
      },
      this.options,
    );
    await this.started.record({
      taskId,
      templateRef: request.templateRef,
      ...this.owner,
    });
    return taskId;
  }

  /**
   * The scaffolder's dry run. Its answer comes back scrubbed of the secrets
   * it was sent: the scaffolder hides them in its log, and no other part of
   * the answer (output, file names) may carry one to the agent either.
   */
  async dryRun(request: DryRunRequest): Promise<DryRunResult> {
    const result = await this.scaffolder.dryRun(request, this.options);
    return withoutSecrets(result, Object.values(request.secrets ?? {}));
  }

  /**
   * The task as the scaffolder has it now, if the caller may reach it;
   * otherwise NotFoundError. The scaffolder records a cancelled task as
   * failed, with a cancellation event: such a task reads as cancelled.
   */
  async get(taskId: string): Promise<ScaffolderTask> {
    const task = await this.read(taskId);
    if (task.status !== 'failed') return task;
    return (await this.wasCancelled(taskId))
      ? { ...task, status: 'cancelled' }
      : task;
  }

  /** The task's events after a cursor, waiting at most `waitMs` for the first. */
  async eventsOf(
    taskId: string,
    request: { after?: number; waitMs: number },
  ): Promise<TaskEvent[]> {
    if (!this.reachable.has(taskId)) await this.read(taskId);
    return this.events.read(taskId, request, {
      ...this.options,
      signal: this.signal,
    });
  }

  /** Cancels a reachable task; one that has finished is left as it is. */
  async cancel(
    taskId: string,
  ): Promise<{ cancelled: boolean; status: string }> {
    const task = await this.get(taskId);
    if (FINISHED.has(task.status)) {
      return { cancelled: false, status: task.status };
    }
    await this.scaffolder.cancelTask({ taskId }, this.options);
    return { cancelled: true, status: 'cancelled' };
  }

  /**
   * The tasks this caller started, newest first, each with its status as
   * the scaffolder has it now (`unavailable` if it could not be read).
   */
  async listOwn(request: {
    limit: number;
    after?: StartedTasksPosition;
  }): Promise<Array<StartedTask & { status: string }>> {
    const rows = await this.started.ownedBy(this.owner, request);
    return Promise.all(
      rows.map(async row => ({
        ...row,
        status: await this.get(row.taskId).then(
          task => task.status as string,
          () => UNAVAILABLE,
        ),
      })),
    );
  }

  private async wasCancelled(taskId: string): Promise<boolean> {
    // A finished task has events (at least its completion): no long wait.
    const events = await this.events.read(
      taskId,
      { waitMs: 2000 },
      { ...this.options, signal: this.signal },
    );
    return events.some(event => event.type === 'cancelled');
  }

  private async read(taskId: string): Promise<ScaffolderTask> {
    const notFound = new NotFoundError(`No task ${taskId} of this agent.`);
    const scope = this.caller.agent.templates.tasks;
    const record =
      scope === 'own' ? await this.started.find(taskId) : undefined;
    const startedHere =
      record?.agentId === this.owner.agentId &&
      record.owner === this.owner.owner;
    if (scope === 'own' && !startedHere && !this.caller.user) throw notFound;
    let task: ScaffolderTask;
    try {
      task = await this.scaffolder.getTask({ taskId }, this.options);
    } catch (error) {
      // Whether someone else's task exists is not this caller's to learn.
      if (isNotFoundOrForbidden(error)) throw notFound;
      throw error;
    }
    // The scaffolder names a task's creator only for user principals.
    const { createdBy } = task as { createdBy?: string };
    const usersOwn = !!this.caller.user && createdBy === this.caller.user;
    if (scope === 'own' && !startedHere && !usersOwn) throw notFound;
    this.reachable.add(taskId);
    return task;
  }
}

/**
 * The value with every secret replaced in every string. Secrets shorter
 * than four characters are left: replacing them would garble the text
 * while protecting nothing a guess would not find.
 */
function withoutSecrets<T>(value: T, secrets: string[]): T {
  const hidden = secrets.filter(secret => secret.length >= 4);
  if (hidden.length === 0) return value;
  return mapStrings(value, text =>
    hidden.reduce((t, secret) => t.split(secret).join('[secret]'), text),
  );
}

function isNotFoundOrForbidden(error: unknown): boolean {
  if (error instanceof NotFoundError) return true;
  if (error instanceof ResponseError) {
    return [403, 404].includes(error.statusCode);
  }
  const name = (error as { name?: unknown } | undefined)?.name;
  return name === 'NotFoundError' || name === 'NotAllowedError';
}
