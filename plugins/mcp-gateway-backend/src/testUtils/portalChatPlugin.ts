import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import {
  Client,
  StreamableHTTPClientTransport,
} from '@modelcontextprotocol/client';
import express from 'express';
import Router from 'express-promise-router';

/**
 * Test only: a stand-in for Spotify Portal's AI chat. A signed-in user asks
 * it to call a tool; it calls the gateway the way Portal does for an MCP
 * server registered with `mcp.spotify.com/auth-plugin-id: mcp-gateway`:
 * with a plugin-to-plugin token on behalf of that user.
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
      },
      async init({ httpRouter, httpAuth, auth, discovery }) {
        const router = Router();
        router.use(express.json());
        router.post('/ask', async (req, res) => {
          const credentials = await httpAuth.credentials(req, {
            allow: ['user'],
          });
          const { token } = await auth.getPluginRequestToken({
            onBehalfOf: credentials,
            targetPluginId: 'mcp-gateway',
          });
          const client = new Client({
            name: 'portal-ai-chat',
            version: '1.0.0',
          });
          await client.connect(
            new StreamableHTTPClientTransport(
              new URL(await discovery.getBaseUrl('mcp-gateway')),
              {
                requestInit: { headers: { Authorization: `Bearer ${token}` } },
              },
            ),
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

/**
 * What a user gets back when Portal's AI chat calls a tool for them, or
 * (without a tool) lists the tools it may use for them.
 */
export async function askThroughPortal(
  baseUrl: string,
  userToken: string,
  tool?: string,
  args: Record<string, unknown> = {},
): Promise<any> {
  const response = await fetch(`${baseUrl}/api/portal-ai-chat/ask`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${userToken}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ tool, arguments: args }),
  });
  if (!response.ok) {
    throw new Error(
      `Portal call failed: ${response.status} ${await response.text()}`,
    );
  }
  return response.json();
}
