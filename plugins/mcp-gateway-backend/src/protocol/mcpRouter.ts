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
import { identityRefusalOf, jsonRpcError, TransportRefusal } from './refusals';
import { createBodyReader } from './requestBody';
import { describeClient } from './clientInfo';

export interface McpRouterOptions {
  corridor: Corridor;
  logger: LoggerService;
  httpAuth: HttpAuthService;
  /** Which browser origins may call the endpoint, as the config in force says. */
  origins: () => OriginPolicy;
  /** The 401 challenge, pointing MCP clients at the resource metadata. */
  challenge: (invalidToken: boolean) => string;
}

/**
 * Streamable HTTP at the plugin root, stateless so that any replica can
 * answer any request. In order: Origin, identity (headers only: an
 * unidentified caller's body is never read), the body and its shape, then
 * the MCP SDK (2025 initialize-style and 2026-07-28 alike).
 */
export function createMcpRouter(options: McpRouterOptions): express.Router {
  const { corridor, logger, httpAuth } = options;
  const handler = toNodeHandler(
    createMcpHandler(createServerFactory(corridor), {
      legacy: 'stateless',
      // The SDK's messages may quote the request: bounded, as in the audit.
      onerror: error =>
        logger.debug(`MCP request rejected: ${boundedText(error.message)}`),
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
      .json(jsonRpcError(refusal.id, refusal.code, refusal.message));
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
      batchRefusalFor(req, req.body);
    if (bodyRefusal) {
      await refuse(req, res, bodyRefusal, exchange);
      return;
    }

    (req as Request & { auth?: unknown }).auth = authInfoFor({
      ...exchange,
      ...describeClient(req, req.body),
    });
    await handler(req, res, req.body);
  });
  return router;
}
