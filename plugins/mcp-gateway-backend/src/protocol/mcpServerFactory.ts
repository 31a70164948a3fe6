import {
  AuthInfo,
  McpServerFactory,
  Server,
} from '@modelcontextprotocol/server';
import { version } from '../../package.json';
import { Corridor, Exchange } from '../corridor/corridor';
import { listingAnswer, toolCallAnswer } from './mcpAnswers';

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
].join(' ');

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

/**
 * Builds the per-request MCP server. It is cheap: every listing and call
 * goes straight into the corridor.
 */
export function createServerFactory(corridor: Corridor): McpServerFactory {
  return ({ authInfo }) => {
    const exchange = exchangeOf(authInfo);
    const server = new Server(SERVER_INFO, {
      capabilities: { tools: { listChanged: false } },
      instructions: INSTRUCTIONS,
    });
    server.setRequestHandler('tools/list', async () => ({
      tools: listingAnswer(await corridor.listTools(exchange)),
    }));
    server.setRequestHandler('tools/call', async (request, ctx) =>
      toolCallAnswer(
        await corridor.callTool(exchange, {
          name: request.params.name,
          arguments: request.params.arguments,
          signal: ctx.mcpReq.signal,
        }),
      ),
    );
    return server;
  };
}
