import { LoggerService } from '@backstage/backend-plugin-api';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import express, { ErrorRequestHandler, Request, Response } from 'express';
import Router from 'express-promise-router';
import { Corridor } from '../corridor/corridor';
import { ToolRegistry } from '../tools/registry';
import { authInfoFor, createServerFactory } from './mcpServerFactory';

const MAX_BODY = '1mb';

export interface McpRouterOptions {
  corridor: Corridor;
  tools: ToolRegistry;
  logger: LoggerService;
}

/** Malformed JSON or an oversized body gets a JSON-RPC error, not Express's HTML. */
const rejectUnreadableBody: ErrorRequestHandler = (error, _req, res, next) => {
  if (error?.type === 'entity.too.large') {
    res
      .status(413)
      .json(
        jsonRpcError(
          undefined,
          -32600,
          `Request body is larger than ${MAX_BODY}`,
        ),
      );
    return;
  }
  if (error?.type === 'entity.parse.failed') {
    res
      .status(400)
      .json(
        jsonRpcError(
          undefined,
          -32700,
          'Parse error: the body is not valid JSON',
        ),
      );
    return;
  }
  next(error);
};

/**
 * Streamable HTTP at the plugin root, stateless so that any replica can
 * answer any request. Identity runs first, for every method; the MCP SDK
 * then speaks the protocol (2025 initialize-style and 2026-07-28 alike).
 */
export function createMcpRouter(options: McpRouterOptions): express.Router {
  const { corridor, tools, logger } = options;
  const handler = toNodeHandler(
    createMcpHandler(createServerFactory(corridor, tools), {
      legacy: 'stateless',
      onerror: error => logger.debug(`MCP request rejected: ${error.message}`),
    }),
    { onerror: error => logger.error('MCP transport failure', error) },
  );

  const router = Router();
  router.use(express.json({ limit: MAX_BODY }));
  router.use(rejectUnreadableBody);

  router.all('/', async (req: Request, res: Response) => {
    let caller;
    try {
      caller = await corridor.admit(req);
    } catch (error) {
      const refusal = identityRefusal(error, req);
      if (!refusal) {
        throw error;
      }
      if (refusal.challenge) {
        res.setHeader('WWW-Authenticate', refusal.challenge);
      }
      res
        .status(refusal.status)
        .json(jsonRpcError(req.body, refusal.code, refusal.message));
      return;
    }
    (req as Request & { auth?: unknown }).auth = authInfoFor(caller, req);
    await handler(req, res, req.body);
  });
  return router;
}

/** The HTTP answer to a caller the identity stage turned away. */
function identityRefusal(error: unknown, req: Request) {
  const { name, message } = (error ?? {}) as Error;
  if (name === 'AuthenticationError') {
    return {
      status: 401,
      code: -32001,
      message,
      challenge: req.headers.authorization
        ? 'Bearer realm="backstage", error="invalid_token"'
        : 'Bearer realm="backstage"',
    };
  }
  if (name === 'NotAllowedError') {
    return { status: 403, code: -32003, message, challenge: undefined };
  }
  return undefined;
}

function jsonRpcError(body: unknown, code: number, message: string) {
  const id = (body as { id?: unknown } | undefined)?.id;
  return {
    jsonrpc: '2.0',
    id: typeof id === 'string' || typeof id === 'number' ? id : null,
    error: { code, message },
  };
}
