import {
  BackstageCredentials,
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import {
  Client,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import express from 'express';
import Router from 'express-promise-router';

/** The entity Portal's stand-in looks for when the request names none. */
const DEFAULT_SERVER = 'api:default/mcp-gateway';
const AUTH_PLUGIN_ID = 'mcp.spotify.com/auth-plugin-id';

/** Where to connect, and which plugin the on-behalf token is for. */
interface McpServerTarget {
  url: string;
  targetPluginId: string;
}

/**
 * Test only: a stand-in for Spotify Portal's AI chat. A signed-in user asks
 * it to call a tool (or to list the tools); it calls an MCP server the way
 * Portal does. It reads the server's `kind: API`, `spec.type: mcp-server`
 * entity from the catalog with the user's credentials, connects to its
 * streamable-http remote (`spec.remotes`) and authenticates with a
 * plugin-to-plugin token on behalf of the user for the plugin the
 * `mcp.spotify.com/auth-plugin-id` annotation names.
 *
 * Which entity: the request's `server` (an entity ref), strictly: an entity
 * the user cannot see, or that is no MCP server, is an error, as a server
 * missing from Portal's list would be. Without `server`, the gateway's
 * default entity `api:default/mcp-gateway`; if the catalog has none (a
 * backend with `mcpGateway.catalogEntity.enabled: false`, as most tests
 * have), it falls back to what such an entity would say for a backend
 * plugin: the gateway's internal URL from discovery and plugin id
 * `mcp-gateway`. Tests of the catalog path name `server`, so that fallback
 * can never stand in for them.
 */
export const portalChatPlugin = createBackendPlugin({
  pluginId: 'portal-ai-chat',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        discovery: coreServices.discovery,
        catalog: catalogServiceRef,
      },
      async init({ httpRouter, httpAuth, auth, discovery, catalog }) {
        async function targetOf(
          server: unknown,
          credentials: BackstageCredentials,
        ): Promise<McpServerTarget> {
          if (server !== undefined && typeof server !== 'string') {
            throw new InputError('server must be an entity ref');
          }
          const entity = await catalog.getEntityByRef(
            server ?? DEFAULT_SERVER,
            { credentials },
          );
          if (entity) {
            return mcpServerTarget(entity);
          }
          if (server !== undefined) {
            throw new NotFoundError(`No MCP server ${server} in the catalog`);
          }
          return {
            url: await discovery.getBaseUrl('mcp-gateway'),
            targetPluginId: 'mcp-gateway',
          };
        }

        const router = Router();
        router.use(express.json());
        router.post('/ask', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          const { url, targetPluginId } = await targetOf(
            req.body.server,
            credentials,
          );
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId,
          });
          const client = new Client({
            name: 'portal-ai-chat',
            version: '1.0.0',
          });
          await client.connect(
            new StreamableHTTPClientTransport(new URL(url), {
              requestInit: { headers: { Authorization: `Bearer ${token}` } },
            }),
          );
          try {
            res.json(
              req.body.tool
                ? await client.callTool({
                    name: req.body.tool,
                    arguments: req.body.arguments,
                  })
                : await client.listTools(),
            );
          } finally {
            await client.close();
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

/** What Portal reads from an MCP server entity to call it. */
function mcpServerTarget(entity: Entity): McpServerTarget {
  const ref = stringifyEntityRef(entity);
  if (entity.kind !== 'API' || entity.spec?.type !== 'mcp-server') {
    throw new InputError(
      `${ref} is not an MCP server (kind API, type mcp-server)`,
    );
  }
  const remotes = (entity.spec.remotes ?? []) as Array<{
    type?: string;
    url?: string;
  }>;
  // Portal prefers streamable-http; this stand-in speaks nothing else.
  const url = remotes.find(r => r.type === 'streamable-http')?.url;
  const targetPluginId = entity.metadata.annotations?.[AUTH_PLUGIN_ID];
  if (!url || !targetPluginId) {
    throw new InputError(
      `${ref} has no streamable-http remote or no ${AUTH_PLUGIN_ID} annotation`,
    );
  }
  return { url, targetPluginId };
}

export interface PortalAskOptions {
  /**
   * The MCP server entity to call through (an entity ref), as a user who
   * enabled it in Portal would. Default: `api:default/mcp-gateway` if the
   * catalog has it, else the gateway found by discovery.
   */
  server?: string;
}

/**
 * What a user gets back when Portal's AI chat calls a tool for them, or
 * (without a tool) lists the tools it may use for them.
 */
export async function askThroughPortal(
  baseUrl: string,
  userToken: string,
  tool?: string,
  args: Record<string, unknown> = {},
  options: PortalAskOptions = {},
): Promise<any> {
  const response = await fetch(`${baseUrl}/api/portal-ai-chat/ask`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${userToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ tool, arguments: args, server: options.server }),
  });
  if (!response.ok) {
    throw new Error(
      `Portal call failed: ${response.status} ${await response.text()}`,
    );
  }
  return response.json();
}
