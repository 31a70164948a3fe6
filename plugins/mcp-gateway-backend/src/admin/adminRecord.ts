import { LoggerService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import {
  auditWhole,
  AuditEnd,
  AuditEntry,
  AuditSink,
  AuditStart,
} from '../audit/auditRecord';
import { AdminCaller } from './adminAccess';
import { AdminFailure } from './adminFailure';

/**
 * The one audit record of one admin request: its id, who (as far as
 * known), what, and how it ended. A request is either refused (recorded
 * whole) or begun and then ended.
 */
export class AdminRecord {
  readonly requestId = randomUUID();
  readonly started: number;
  /** The caller as far as known, admin or not. */
  who?: AdminCaller;

  constructor(
    private readonly options: {
      audit: AuditSink;
      logger: LoggerService;
      now: () => number;
      /** e.g. `admin: POST agents/disable`. */
      method: string;
      req: Request;
      /** What the record keeps of the request, read when it is written. */
      audited?: (req: Request) => JsonValue | undefined;
    },
  ) {
    this.started = options.now();
  }

  /** Records a request turned away before anything of it ran. */
  async refused(failure: AdminFailure): Promise<void> {
    try {
      await auditWhole(this.options.audit, this.start(), this.end(failure));
    } catch (error) {
      // Nothing ran, so the refusal stands; the log says it is unrecorded.
      this.options.logger.error(
        `Could not write the audit record of refused admin request ${this.requestId} (${this.options.method})`,
        asError(error),
      );
    }
  }

  /** Begins the record; undefined (and logged) when it cannot be written. */
  async begin(): Promise<AuditEntry | undefined> {
    try {
      return await this.options.audit.begin(this.start());
    } catch (error) {
      this.options.logger.error(
        `Could not begin the audit record of admin request ${this.requestId} (${this.options.method}); it was not carried out`,
        asError(error),
      );
      return undefined;
    }
  }

  /** Ends a begun record; false (and logged) when it cannot be written. */
  async finish(
    entry: AuditEntry,
    failure?: AdminFailure,
    extra: Pick<AuditEnd, 'listed' | 'resultBytes'> = {},
  ): Promise<boolean> {
    try {
      await entry.end(this.end(failure, extra));
      return true;
    } catch (error) {
      this.options.logger.error(
        `Could not end the audit record of admin request ${this.requestId} (${this.options.method})`,
        asError(error),
      );
      return false;
    }
  }

  private start(): AuditStart {
    const { who } = this;
    const { req, method, audited } = this.options;
    return {
      requestId: this.requestId,
      ...(who && {
        principal: who.principal,
        user: who.user,
        actor: who.actor,
      }),
      method,
      arguments: audited?.(req),
      // An authenticated caller's request, so Backstage's auditor names them too.
      request: who && req,
    };
  }

  private end(
    failure?: AdminFailure,
    extra: Pick<AuditEnd, 'listed' | 'resultBytes'> = {},
  ): AuditEnd {
    return {
      outcome: failure?.outcome ?? 'succeeded',
      ...(failure && {
        stage: failure.stage,
        code: failure.code,
        reason: failure.message,
      }),
      ...extra,
      durationMs: this.options.now() - this.started,
    };
  }
}

export function asError(error: unknown): Error {
  return isError(error) ? (error as Error) : new Error(String(error));
}
