import { LoggerService } from '@backstage/backend-plugin-api';
import { createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { randomUUID } from 'node:crypto';
import express, { ErrorRequestHandler, Request, Response } from 'express';
import Router from 'express-promise-router';
import { AuditSink } from '../audit/auditRecord';
import { Corridor } from '../corridor/corridor';
import { CallerResolver } from '../identity/resolveCaller';
import { ToolRegistry } from '../tools/registry';
import { authInfoFor, createServerFactory } from './mcpServerFactory';

const MAX_BODY = '1mb';

export interface McpRouterOptions {
  resolver: CallerResolver;
  corridor: Corridor;
  tools: ToolRegistry;
  audit: AuditSink;
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
  const { resolver, corridor, tools, audit, logger } = options;
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
    const started = Date.now();
    let caller;
    try {
      caller = await resolver.resolve(req);
    } catch (error) {
      const refusal = describeIdentityFailure(error, req);
      if (!refusal) {
        throw error;
      }
      await audit.record({
        requestId: randomUUID(),
        method: methodOf(req),
        outcome: refusal.status === 401 ? 'unauthenticated' : 'refused',
        stage: 'identity',
        reason: refusal.message,
        durationMs: Date.now() - started,
      });
      if (refusal.status === 401) {
        res.setHeader(
          'WWW-Authenticate',
          refusal.badToken
            ? `Bearer realm="backstage", error="invalid_token"`
            : `Bearer realm="backstage"`,
        );
      }
      res
        .status(refusal.status)
        .json(jsonRpcError(req.body, refusal.code, refusal.message));
      return;
    }
    (req as Request & { auth?: unknown }).auth = authInfoFor(caller);
    await handler(req, res, req.body);
  });
  return router;
}

function describeIdentityFailure(error: unknown, req: Request) {
  const { name, message } = (error ?? {}) as Error;
  if (name === 'AuthenticationError') {
    const sentToken = Boolean(req.headers.authorization);
    return {
      status: 401,
      code: -32001,
      badToken: sentToken,
      message: sentToken
        ? 'Invalid or expired credentials: the token was not accepted by Backstage'
        : message,
    };
  }
  if (name === 'NotAllowedError') {
    return { status: 403, code: -32003, badToken: false, message };
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

/** The JSON-RPC method, or the HTTP one for requests without a body. */
function methodOf(req: Request): string {
  const method = (req.body as { method?: unknown } | undefined)?.method;
  return typeof method === 'string'
    ? method.slice(0, 100)
    : `HTTP ${req.method}`;
}
