import { LoggerService } from '@backstage/backend-plugin-api';
import {
  AuditEnd,
  AuditEntry,
  AuditSink,
  AuditStart,
  auditWhole,
} from '../audit/auditRecord';
import { changesState, Operation } from '../core/operation';
import { AuditOutage } from './auditOutage';
import { Answer } from './failures';

/** A record for a request that runs unaudited under the open failure policy. */
const UNAUDITED: AuditEntry = { end: async () => {} };

/**
 * The audit around every request: begun before anything runs, ended
 * before the answer leaves, and what happens when the store cannot be
 * written (`mcpGateway.audit.failurePolicy`).
 */
export class AuditBracket {
  private readonly outage: AuditOutage;

  constructor(
    private readonly sink: AuditSink,
    /** Read per request: a config reload may change it. */
    private readonly failurePolicy: () => 'closed' | 'open',
    logger: LoggerService,
  ) {
    this.outage = new AuditOutage(logger);
  }

  /**
   * Begins the record; if it cannot be written, nothing runs, unless the
   * failure policy is `open` and the request changes nothing.
   */
  async begin(
    start: AuditStart,
    operation?: Operation,
  ): Promise<Answer<AuditEntry>> {
    try {
      return { ok: true, value: await this.sink.begin(start) };
    } catch (error) {
      if (this.mayRunUnaudited(operation)) {
        this.outage.failed(
          `Could not begin the audit record of request ${start.requestId}; it runs unaudited (mcpGateway.audit.failurePolicy: open)`,
          asError(error),
        );
        return { ok: true, value: UNAUDITED };
      }
      this.outage.failed(
        `Could not begin the audit record of request ${start.requestId}; the request was refused`,
        asError(error),
      );
      return unaudited(start.requestId, 'so it was not run');
    }
  }

  /** Ends the record; if it cannot be written, the answer is withheld. */
  async end<T>(
    entry: AuditEntry,
    answer: Answer<T>,
    started: number,
    requestId: string,
    operation?: Operation,
  ): Promise<Answer<T>> {
    const durationMs = Date.now() - started;
    try {
      await entry.end(
        answer.ok
          ? {
              outcome: 'succeeded',
              durationMs,
              resultBytes: sizeOf(answer.value),
              // A listing's record says how many operations it showed.
              ...(Array.isArray(answer.value) && {
                listed: answer.value.length,
              }),
            }
          : {
              outcome: answer.failure.outcome,
              stage: answer.failure.stage,
              code: answer.failure.code,
              reason: answer.failure.message,
              durationMs,
            },
      );
      this.outage.succeeded();
      return answer;
    } catch (error) {
      if (this.mayRunUnaudited(operation)) {
        this.outage.failed(
          `Could not end the audit record of request ${requestId}; answered unaudited (mcpGateway.audit.failurePolicy: open)`,
          asError(error),
        );
        return answer;
      }
      this.outage.failed(
        `Could not end the audit record of request ${requestId}; its answer was withheld`,
        asError(error),
      );
      return unaudited(
        requestId,
        operation && changesState(operation.access)
          ? 'so its answer is withheld; the operation itself did run'
          : 'so its answer is withheld',
      );
    }
  }

  /**
   * A refusal at the door, recorded whole. It is answered even when its
   * record cannot be written: nothing ran, and the caller must still
   * learn why.
   */
  async whole(
    requestId: string,
    start: AuditStart,
    end: AuditEnd,
  ): Promise<void> {
    try {
      await auditWhole(this.sink, start, end);
      this.outage.succeeded();
    } catch (error) {
      this.outage.failed(
        `Could not write the audit record of refused request ${requestId}`,
        asError(error),
      );
    }
  }

  /** Under the open policy, what changes nothing (an unknown tool included) may run unaudited. */
  private mayRunUnaudited(operation?: Operation) {
    return (
      this.failurePolicy() === 'open' &&
      !(operation && changesState(operation.access))
    );
  }
}

function unaudited<T>(requestId: string, consequence: string): Answer<T> {
  return {
    ok: false,
    failure: {
      outcome: 'failed',
      stage: 'audit',
      code: 'audit-unavailable',
      message: `The gateway could not write this request's audit record, ${consequence} (reference ${requestId}).`,
    },
  };
}

/** The size of an answer as the caller receives it, in bytes of JSON. */
function sizeOf(value: unknown): number | undefined {
  try {
    const json = JSON.stringify(value);
    return json === undefined ? undefined : Buffer.byteLength(json);
  } catch {
    return undefined;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
