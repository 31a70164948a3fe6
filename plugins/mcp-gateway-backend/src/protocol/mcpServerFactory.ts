import {
  AuthInfo,
  CacheHint,
  McpServerFactory,
  ProtocolError,
  ProtocolErrorCode,
  Server,
} from '@modelcontextprotocol/server';
import { version } from '../../package.json';
import { Corridor, Exchange } from '../corridor/corridor';
import { GatewayPrompt } from '../prompts/types';
import { readableParamsError, unpagedCursorError } from './invalidParams';
import { listingAnswer, operationAnswer, toolCallAnswer } from './mcpAnswers';

const SERVER_INFO = {
  name: 'backstage-mcp-gateway',
  title: 'Backstage MCP Gateway',
  // The version adopters installed, as clients see it.
  version,
};

const INSTRUCTIONS = [
  "Tools for this organisation's Backstage software catalog, answered on behalf of the signed-in caller.",
  'Entity refs look like kind:namespace/name (e.g. component:default/payments-api); tools also accept a bare name or kind:name.',
  'Results are compact; ask get_entity for detail "full" or specific fields when you need more.',
  'For documentation, search_techdocs finds pages and get_techdocs reads them as Markdown.',
].join(' ');

/**
 * How long a 2026-07-28 client may keep a listing without asking again. The
 * listings are the agent's own (private), and `subscriptions/listen`
 * streams hear at once when its policy or state changes them; entities and
 * documents (resources/list and reads) are always asked afresh.
 */
export const LIST_TTL_MS = 60_000;
const CACHE_HINTS: Record<string, CacheHint> = {
  'tools/list': { ttlMs: LIST_TTL_MS, cacheScope: 'private' },
  'prompts/list': { ttlMs: LIST_TTL_MS, cacheScope: 'private' },
  'resources/templates/list': { ttlMs: LIST_TTL_MS, cacheScope: 'private' },
  'resources/list': { ttlMs: 0, cacheScope: 'private' },
  'resources/read': { ttlMs: 0, cacheScope: 'private' },
};

/** Methods the corridor audits itself, as listings and operations. */
export const CORRIDOR_METHODS: ReadonlySet<string> = new Set([
  'tools/list',
  'tools/call',
  'resources/list',
  'resources/templates/list',
  'resources/read',
  'prompts/list',
  'prompts/get',
]);

/**
 * The exchange (caller, request id and HTTP request) travels from the
 * identity stage to the MCP layer in authInfo.
 */
export function authInfoFor(exchange: Exchange): AuthInfo {
  // No token: the gateway never hands a caller's token on.
  return {
    token: '',
    clientId: exchange.caller.agent.id,
    scopes: [],
    extra: { exchange },
  };
}

function exchangeOf(authInfo: AuthInfo | undefined): Exchange {
  const exchange = authInfo?.extra?.exchange as Exchange | undefined;
  if (!exchange) {
    throw new Error('MCP request reached the server without a resolved caller');
  }
  return exchange;
}

type Handler = Parameters<Server['fallbackRequestHandler'] & {}>;
type Context = Handler[1];
type Message = Handler[0];

/**
 * The MCP server of one request, whose every request is audited: the
 * SDK's own methods (initialize, ping, server/discover) and any method it
 * does not serve go through the corridor's record, as tools/list and
 * tools/call do inside the corridor. `_wrapHandler` is the SDK's hook for
 * exactly this; it also sees the handlers the SDK registers itself.
 */
class AuditedServer extends Server {
  /** The requests whose handler reached the corridor, which audited them. */
  private readonly inCorridor = new WeakSet<object>();

  constructor(
    private readonly corridor: Corridor,
    era: 'legacy' | 'modern',
  ) {
    // Only 2026-07-28 clients can hear of changes (subscriptions/listen):
    // the endpoint keeps no 2025 session to send them on.
    const listChanged = era === 'modern';
    super(SERVER_INFO, {
      capabilities: {
        tools: { listChanged },
        resources: { listChanged, subscribe: false },
        prompts: { listChanged },
      },
      instructions: INSTRUCTIONS,
      cacheHints: CACHE_HINTS,
    });
    this.fallbackRequestHandler = (request, ctx) =>
      this.audited(request.method, ctx, async () => {
        throw new ProtocolError(
          ProtocolErrorCode.MethodNotFound,
          `Method not found: the MCP gateway does not serve ${request.method}`,
        );
      });
  }

  /** Marks a request as handled by the corridor, which audits it. */
  enterCorridor(ctx: Context): Exchange {
    this.inCorridor.add(ctx.mcpReq);
    return exchangeOf(ctx.http?.authInfo);
  }

  protected override _wrapHandler(
    method: string,
    handler: (request: Message, ctx: Context) => Promise<any>,
  ) {
    const wrapped = super._wrapHandler(method, async (request, ctx) => {
      try {
        return await handler(request, ctx);
      } catch (error) {
        throw readableParamsError(method, error);
      }
    });
    if (!CORRIDOR_METHODS.has(method)) {
      return (request: Message, ctx: Context) =>
        this.audited(method, ctx, () => wrapped(request, ctx));
    }
    return async (request: Message, ctx: Context) => {
      try {
        return await wrapped(request, ctx);
      } catch (error) {
        // The SDK refused the request before the corridor saw it
        // (malformed params): a protocol refusal, audited as such.
        if (!this.inCorridor.has(ctx.mcpReq)) {
          await this.corridor.refuse({
            exchange: exchangeOf(ctx.http?.authInfo),
            method,
            reason: error instanceof Error ? error.message : String(error),
            outcome: 'invalid',
            code: 'invalid-params',
            stage: 'protocol',
          });
        }
        throw error;
      }
    };
  }

  private async audited<T>(
    method: string,
    ctx: Context,
    run: () => Promise<T>,
  ): Promise<T> {
    let failed: { error: unknown } | undefined;
    const answer = await this.corridor.serveMethod(
      exchangeOf(ctx.http?.authInfo),
      method,
      async () => {
        try {
          return await run();
        } catch (error) {
          failed = { error };
          throw error;
        }
      },
    );
    // The SDK's own error goes back as it was, now that it is recorded.
    if (!answer.ok && failed) throw failed.error;
    return listingAnswer(answer);
  }
}

/**
 * Builds the per-request MCP server. It is cheap: every listing and call
 * goes straight into the corridor.
 */
export function createServerFactory(corridor: Corridor): McpServerFactory {
  return ({ era }) => {
    const server = new AuditedServer(corridor, era);
    server.setRequestHandler('tools/list', async (request, ctx) => {
      refuseCursor(request);
      return {
        tools: listingAnswer(
          await corridor.listTools(server.enterCorridor(ctx)),
        ),
      };
    });
    server.setRequestHandler('tools/call', async (request, ctx) => {
      const exchange = server.enterCorridor(ctx);
      const progressToken = ctx.mcpReq._meta?.progressToken;
      return toolCallAnswer(
        await corridor.callTool(exchange, {
          name: request.params.name,
          arguments: request.params.arguments,
          signal: ctx.mcpReq.signal,
          ...(progressToken !== undefined && {
            progress: update =>
              ctx.mcpReq.notify({
                method: 'notifications/progress',
                params: { progressToken, ...update },
              }),
          }),
        }),
        exchange,
      );
    });
    server.setRequestHandler(
      'resources/templates/list',
      async (request, ctx) => {
        refuseCursor(request);
        return {
          resourceTemplates: listingAnswer(
            await corridor.listResourceTemplates(server.enterCorridor(ctx)),
          ),
        };
      },
    );
    server.setRequestHandler('resources/list', async (request, ctx) => ({
      ...operationAnswer(
        await corridor.listResources(server.enterCorridor(ctx), {
          cursor: request.params?.cursor,
          signal: ctx.mcpReq.signal,
        }),
      ),
    }));
    server.setRequestHandler('resources/read', async (request, ctx) => ({
      contents: operationAnswer(
        await corridor.readResource(server.enterCorridor(ctx), {
          uri: request.params.uri,
          signal: ctx.mcpReq.signal,
        }),
        { uri: request.params.uri },
      ),
    }));
    server.setRequestHandler('prompts/list', async (request, ctx) => {
      refuseCursor(request);
      return {
        prompts: listingAnswer(
          await corridor.listPrompts(server.enterCorridor(ctx)),
        ).map(describePrompt),
      };
    });
    server.setRequestHandler('prompts/get', async (request, ctx) => {
      const messages = operationAnswer(
        await corridor.getPrompt(server.enterCorridor(ctx), {
          name: request.params.name,
          arguments: request.params.arguments,
          signal: ctx.mcpReq.signal,
        }),
      );
      return { messages };
    });
    return server;
  };
}

/**
 * These listings answer in one page, so a cursor sent to them is forged or
 * stale: refused (and audited as such) rather than ignored.
 */
function refuseCursor(request: {
  method: string;
  params?: { cursor?: unknown };
}) {
  if (request.params?.cursor !== undefined) {
    throw unpagedCursorError(request.method);
  }
}

/** A prompt as prompts/list shows it: its arguments from its schema. */
function describePrompt(prompt: GatewayPrompt) {
  return {
    name: prompt.name,
    title: prompt.title,
    description: prompt.description,
    arguments: Object.entries(prompt.arguments.shape).map(([name, schema]) => ({
      name,
      ...(schema.description && { description: schema.description }),
      required: !schema.safeParse(undefined).success,
    })),
  };
}
