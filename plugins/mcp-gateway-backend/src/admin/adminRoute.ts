import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { Request, RequestHandler, Response } from 'express';
import { AuditEnd, AuditSink } from '../audit/auditRecord';
import { AdminMatcher } from '../config/gatewayConfig';
import { AdminCaller, adminCallerOf, decideAdminAccess } from './adminAccess';
import { AdminFailure, adminFailureOf } from './adminFailure';
import { readJsonBody } from './jsonBody';
import { AdminRecord, asError } from './adminRecord';
import { ExportSummary } from './ndjsonExport';

/** What an admin action answers: JSON, or a stream it writes itself. */
export type AdminReply =
  | { json: unknown; status?: number; listed?: number }
  | { stream(res: Response): Promise<ExportSummary> };

export interface AdminContext {
  caller: AdminCaller;
  requestId: string;
  /** When the request arrived, ms since the epoch. */
  now: number;
}

/**
 * One route of the admin API. `prepare` validates and looks up, changing
 * nothing (its failures are refusals); `run` acts, and only runs once its
 * audit record has been begun.
 */
export interface AdminAction<T> {
  /** As audit records name it, without ids: e.g. `POST agents/disable`. */
  name: string;
  /** Does it change the gateway? (Says so when its record cannot be finished.) */
  changesState?: boolean;
  /** Does it read a JSON body? */
  readsBody?: boolean;
  /**
   * What the audit record keeps of the request: its target and inputs, as
   * far as they were read (a refused caller's body never is).
   */
  audited?(req: Request): JsonValue | undefined;
  prepare(req: Request, context: AdminContext): T | Promise<T>;
  run(input: T, context: AdminContext): Promise<AdminReply>;
}

export interface AdminRouteOptions {
  /** `mcpGateway.admins` in force, read per request. */
  admins: () => AdminMatcher[];
  httpAuth: HttpAuthService;
  userInfo: UserInfoService;
  permissions: PermissionsService;
  audit: AuditSink;
  logger: LoggerService;
  now: () => number;
}

/**
 * Serves one admin action: who is calling, are they an admin, is the
 * request valid, then the audit record, then the action. Every request
 * gets exactly one record, refusals included; an action whose record
 * cannot be begun does not happen.
 */
export function adminRoute<T>(
  action: AdminAction<T>,
  options: AdminRouteOptions,
): RequestHandler {
  const { logger } = options;
  const method = `admin: ${action.name}`;

  /** The failure the caller reads; what nobody foresaw is logged with its reference. */
  function explain(error: unknown, requestId: string): AdminFailure {
    const { failure, unexpected } = adminFailureOf(error, requestId);
    if (unexpected) {
      logger.error(
        `Admin request ${requestId} (${method}) failed`,
        asError(error),
      );
    }
    return failure;
  }

  return async (req, res) => {
    const record = new AdminRecord({
      ...options,
      method,
      req,
      audited: action.audited,
    });
    const { requestId } = record;

    let input: T;
    let context: AdminContext;
    try {
      const credentials = await credentialsOf(req, options.httpAuth);
      record.who = adminCallerOf(credentials);
      const access = await decideAdminAccess(credentials, {
        ...options,
        admins: options.admins(),
      });
      if (!access.admin) {
        throw new AdminFailure(access.status, access.message, {
          code: access.code,
        });
      }
      context = { caller: access.caller, requestId, now: record.started };
      // Only an admin's body is read.
      if (action.readsBody) await readJsonBody(req, res);
      input = await action.prepare(req, context);
    } catch (error) {
      const failure = explain(error, requestId);
      await record.refused(failure);
      send(res, failure);
      return;
    }

    const entry = await record.begin();
    if (!entry) {
      send(
        res,
        new AdminFailure(
          503,
          `The gateway could not write the audit record of this admin request, so it was not carried out (reference ${requestId}).`,
          { stage: 'audit', code: 'audit-unavailable' },
        ),
      );
      return;
    }

    let reply: AdminReply;
    try {
      reply = await action.run(input, context);
      if ('stream' in reply) {
        const summary = await reply.stream(res);
        await record.finish(entry, ...exportEndOf(summary, logger, requestId));
        return;
      }
    } catch (error) {
      const failure = explain(error, requestId);
      const recorded = await record.finish(entry, failure);
      send(res, recorded ? failure : unrecorded(requestId, false));
      return;
    }

    const body = JSON.stringify(reply.json);
    const recorded = await record.finish(entry, undefined, {
      resultBytes: Buffer.byteLength(body),
      ...(reply.listed !== undefined && { listed: reply.listed }),
    });
    if (!recorded) {
      send(res, unrecorded(requestId, action.changesState ?? false));
      return;
    }
    res
      .status(reply.status ?? 200)
      .type('application/json')
      .send(body);
  };
}

/** The caller's credentials, or a 401 (or Backstage's 403) that leaks nothing of the token. */
async function credentialsOf(req: Request, httpAuth: HttpAuthService) {
  try {
    return await httpAuth.credentials(req, {
      allow: ['user', 'service', 'none'],
    });
  } catch (error) {
    // A valid token that may not reach this plugin: Backstage says why.
    if (isError(error) && error.name === 'NotAllowedError') {
      throw new AdminFailure(403, error.message);
    }
    // Otherwise Backstage's reason may describe the token; ours does not.
    throw new AdminFailure(
      401,
      'Invalid or expired credentials: the token was not accepted by Backstage.',
    );
  }
}

/** How an export ends in its record: complete, or cut and why. */
function exportEndOf(
  summary: ExportSummary,
  logger: LoggerService,
  requestId: string,
): [AdminFailure | undefined, Pick<AuditEnd, 'listed' | 'resultBytes'>] {
  const extra = { listed: summary.records, resultBytes: summary.bytes };
  if (!summary.cut) return [undefined, extra];
  if (summary.cut.error !== undefined) {
    logger.error(
      `Audit export ${requestId} failed after ${summary.records} record(s)`,
      asError(summary.cut.error),
    );
  }
  return [
    new AdminFailure(503, summary.cut.reason, { code: summary.cut.code }),
    extra,
  ];
}

function unrecorded(requestId: string, changed: boolean) {
  return new AdminFailure(
    503,
    changed
      ? `The change was made, but the gateway could not finish its audit record, so its answer is withheld (reference ${requestId}).`
      : `The gateway could not finish the audit record of this admin request, so its answer is withheld (reference ${requestId}).`,
    { stage: 'audit', code: 'audit-unavailable' },
  );
}

function send(res: Response, failure: AdminFailure) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.status(failure.status).json(failure.body);
}
