import {
  AuthInfo,
  McpServerFactory,
  ProtocolError,
  ProtocolErrorCode,
  Server,
} from '@modelcontextprotocol/server';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { Corridor, Exchange, UnknownToolError } from '../corridor/corridor';
import { Caller } from '../identity/caller';
import { ToolRegistry } from '../tools/registry';

const SERVER_INFO = {
  name: 'backstage-mcp-gateway',
  title: 'Backstage MCP Gateway',
  version: '0.1.0',
};

const INSTRUCTIONS = [
  "Tools for this organisation's Backstage software catalog, answered on behalf of the signed-in caller.",
  'Entity refs look like kind:namespace/name (e.g. component:default/payments-api); tools also accept a bare name or kind:name.',
  'Results are compact; ask get_entity for detail "full" or specific fields when you need more.',
].join(' ');

/**
 * The caller (and its HTTP request, for the auditor) travels from the
 * identity stage to the MCP layer in authInfo.
 */
export function authInfoFor(caller: Caller, request: Request): AuthInfo {
  // No token: the gateway never hands a caller's token on.
  return {
    token: '',
    clientId: caller.agent.id,
    scopes: [],
    extra: { exchange: { caller, request } satisfies Exchange },
  };
}

function exchangeOf(authInfo: AuthInfo | undefined): Exchange {
  const exchange = authInfo?.extra?.exchange as Exchange | undefined;
  if (!exchange) {
    throw new Error('MCP request reached the server without a resolved caller');
  }
  return exchange;
}

/**
 * Builds the per-request MCP server. It is cheap: tool listings are computed
 * once in the registry, and every call goes straight into the corridor.
 */
export function createServerFactory(
  corridor: Corridor,
  tools: ToolRegistry,
): McpServerFactory {
  return ({ authInfo }) => {
    const exchange = exchangeOf(authInfo);
    const server = new Server(SERVER_INFO, {
      capabilities: { tools: { listChanged: false } },
      instructions: INSTRUCTIONS,
    });
    server.setRequestHandler('tools/list', async () => ({
      tools: tools.listingsOf(await corridor.listTools(exchange)),
    }));
    server.setRequestHandler('tools/call', async (request, ctx) => {
      try {
        return await corridor.callTool({
          requestId: randomUUID(),
          ...exchange,
          toolName: request.params.name,
          arguments: request.params.arguments,
          signal: ctx.mcpReq.signal,
        });
      } catch (error) {
        if (error instanceof UnknownToolError) {
          throw new ProtocolError(
            ProtocolErrorCode.InvalidParams,
            error.message,
          );
        }
        throw error;
      }
    });
    return server;
  };
}
