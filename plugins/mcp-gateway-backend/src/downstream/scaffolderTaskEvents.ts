import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ScaffolderService } from '@backstage/plugin-scaffolder-node';
import { PluginRequests } from './pluginRequests';

/** One event of a task: a log line, its completion, or its cancellation. */
export type TaskEvent = Awaited<
  ReturnType<ScaffolderService['getLogs']>
>[number];

/**
 * A task's events from the scaffolder's `/v2/tasks/:id/events`, read on
 * the caller's behalf. That endpoint long-polls: with no event after the
 * cursor it holds the request for up to 30 seconds. ScaffolderService's
 * getLogs cannot be given a deadline, so this reader calls the endpoint
 * itself and hangs up at its own deadline (the scaffolder then stops
 * watching the task for it).
 */
export class ScaffolderTaskEvents {
  constructor(private readonly requests: PluginRequests) {}

  /**
   * The events after `after`, as soon as there is one; none if none came
   * within `waitMs`. Aborting `signal` ends the wait with its reason.
   */
  async read(
    taskId: string,
    request: { after?: number; waitMs: number },
    options: { credentials: BackstageCredentials; signal: AbortSignal },
  ): Promise<TaskEvent[]> {
    const query =
      request.after === undefined ? '' : `?after=${Math.floor(request.after)}`;
    const deadline = AbortSignal.timeout(Math.max(1, request.waitMs));
    try {
      return await this.requests.getJson<TaskEvent[]>(
        'scaffolder',
        `/v2/tasks/${encodeURIComponent(taskId)}/events${query}`,
        {
          credentials: options.credentials,
          signal: AbortSignal.any([options.signal, deadline]),
          // The deadline ends a long poll, not the default request timeout.
          timeoutMs: request.waitMs + 5_000,
        },
      );
    } catch (error) {
      options.signal.throwIfAborted();
      if (deadline.aborted) return [];
      throw error;
    }
  }
}
