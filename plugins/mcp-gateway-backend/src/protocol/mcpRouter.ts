import { HttpAuthService, LoggerService } from '@backstage/backend-plugin-api';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import express, { Request, Response } from 'express';
import Router from 'express-promise-router';
import { Corridor, Exchange } from '../corridor/corridor';
import { requireCredentialsOffRoot } from './anonymousAccess';
import { batchRefusalFor } from './batches';
import { authInfoFor, createServerFactory } from './mcpServerFactory';
import { nestingRefusalFor } from './nesting';
import { OriginPolicy } from './origins';
import { auditedMethodOf } from '../audit/auditedMethod';
import { boundedText } from '../audit/bounded';
import {
  identityRefusalOf,
  INTERNAL_ERROR,
  jsonRpcError,
  requestIdOf,
  TransportRefusal,
} from './refusals';
import {
  currentRequestScope,
  inRequestScope,
  RequestScope,
} from './requestScope';
import { isJsonObject } from '../core/isJsonObject';
import { AgentListChanges, listenRefusalFor } from './listChanges';
import { createBodyReader } from './requestBody';
import { describeClient } from './clientInfo';
import { unservedMethodRefusalFor, versionRefusalFor } from './versions';

export interface McpRouterOptions {
  corridor: Corridor;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  /** Which browser origins may call the endpoint, as the config in force says. */
  origins: () => OriginPolicy;
  /** The 401 challenge, pointing MCP clients at the resource metadata. */
  challenge: (invalidToken: boolean) => string;
  /** The `subscriptions/listen` streams, each hearing its agent's changes. */
  lists: AgentListChanges;
}

/**
 * Streamable HTTP at the plugin root, stateless so that any replica can
 * answer any request. In order: Origin, identity (headers only: an
 * unidentified caller's body is never read), the body, its shape and its
 * protocol version, then the MCP SDK (2025 initialize-style and 2026-07-28
 * alike).
 */
export function createMcpRouter(options: McpRouterOptions): express.Router {
  const { corridor, logger, httpAuth } = options;
  const handler = toNodeHandler(
    createMcpHandler(createServerFactory(corridor), {
      legacy: 'stateless',
      bus: options.lists,
      // The SDK's messages may quote the request: bounded, as in the audit.
      onerror: error => {
        const message = boundedText(error.message);
        const scope = currentRequestScope();
        if (scope) scope.sdkRefusal ??= message;
        logger.debug(`MCP request rejected: ${message}`);
      },
    }),
    { onerror: error => logger.error('MCP transport failure', error) },
  );
  const readBody = createBodyReader();

  /** Audits a transport refusal (attributed once identity is known) and answers it. */
  async function refuse(
    req: Request,
    res: Response,
    refusal: TransportRefusal,
    exchange?: Exchange,
  ) {
    await corridor.refuse({
      exchange,
      method: refusal.method ?? auditedMethodOf(req),
      reason: refusal.message,
      outcome: refusal.outcome,
      code: refusal.reasonCode,
      stage: refusal.stage ?? 'protocol',
    });
    res
      .status(refusal.status)
      .json(
        jsonRpcError(refusal.id, refusal.code, refusal.message, refusal.data),
      );
  }

  const router = Router();
  router.use(requireCredentialsOffRoot(httpAuth));

  router.all('/', async (req: Request, res: Response) => {
    const originRefusal = options.origins().refusalFor(req.headers.origin);
    if (originRefusal) {
      await refuse(req, res, originRefusal);
      return;
    }

    let exchange: Exchange;
    try {
      exchange = await corridor.admit(req);
    } catch (error) {
      const refusal = identityRefusalOf(error, req, options.challenge);
      if (!refusal) {
        throw error;
      }
      if (refusal.challenge) {
        res.setHeader('WWW-Authenticate', refusal.challenge);
      }
      res
        .status(refusal.status)
        .json(jsonRpcError(undefined, refusal.code, refusal.message));
      return;
    }

    const bodyRefusal =
      (await readBody(req, res)) ??
      nestingRefusalFor(req, req.body) ??
      versionRefusalFor(req, req.body) ??
      batchRefusalFor(req, req.body) ??
      unservedMethodRefusalFor(req, req.body) ??
      listenRefusalFor(req, req.body, exchange.caller.agent.id, options.lists);
    if (bodyRefusal) {
      await refuse(req, res, bodyRefusal, exchange);
      return;
    }

    const described = { ...exchange, ...describeClient(req, req.body) };
    (req as Request & { auth?: unknown }).auth = authInfoFor(described);
    const scope: RequestScope = { agentId: exchange.caller.agent.id };
    const serve = () =>
      inRequestScope(scope, () => handler(req, res, req.body));
    if (req.method !== 'POST' || sdkAnswersAlone(req.body)) {
      // GET and DELETE (answered 405: no stream, no session to end),
      // notifications, responses and list subscriptions reach no handler
      // of the gateway's: audited around the SDK's answer.
      const answer = await corridor.serveMethod(
        described,
        auditedMethodOf(req),
        serve,
      );
      if (!answer.ok && !res.headersSent) {
        res
          .status(503)
          .json(
            jsonRpcError(
              requestIdOf(req.body),
              INTERNAL_ERROR,
              answer.failure.message,
            ),
          );
      }
    } else {
      await serve();
    }
    if (!exchange.trail?.recorded) {
      // The MCP SDK turned the request away before any handler ran.
      await corridor.refuse({
        exchange: described,
        method: auditedMethodOf(req),
        reason:
          scope.sdkRefusal ??
          `The MCP SDK answered HTTP ${res.statusCode} without serving the request.`,
        outcome: 'invalid',
        code: 'protocol-refused',
        stage: 'protocol',
      });
    }
  });
  return router;
}

/**
 * Whether the MCP SDK answers this body without calling any handler of
 * the gateway's: notifications, posted responses, subscriptions/listen.
 */
function sdkAnswersAlone(body: unknown): boolean {
  const parts = Array.isArray(body) ? body : [body];
  return (
    parts.length > 0 &&
    parts.every(
      part =>
        isJsonObject(part) &&
        (part.method === 'subscriptions/listen' ||
          (typeof part.method === 'string' && !('id' in part)) ||
          (!('method' in part) && ('result' in part || 'error' in part))),
    )
  );
}
