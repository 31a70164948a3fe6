import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  createMcpGatewayOperationConditionalDecision,
  mcpGatewayOperationConditions,
  toolInvokePermission,
} from '..';
import {
  startTestGateway,
  TestGateway,
  textOf,
  tokenFor,
  toolsAllowedFor,
  waitForCatalog,
} from '../__testUtils__/testGateway';
import { askThroughPortal, portalChatPlugin, signInAs } from '../testUtils';

/**
 * An adopter's policy: the finance namespace is visible only to its owners;
 * list_owners through the gateway only for the SRE group.
 */
class AdopterPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (isPermission(request.permission, catalogEntityReadPermission)) {
      return createCatalogConditionalDecision(request.permission, {
        anyOf: [
          {
            not: catalogConditions.hasMetadata({
              key: 'namespace',
              value: 'finance',
            }),
          },
          catalogConditions.isEntityOwner({ claims }),
        ],
      });
    }
    if (
      isPermission(request.permission, toolInvokePermission) &&
      !claims.includes('group:default/sre')
    ) {
      return createMcpGatewayOperationConditionalDecision(request.permission, {
        not: mcpGatewayOperationConditions.isTool({ names: ['list_owners'] }),
      });
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

const DEFAULT_AGENT = {
  description: 'Anyone else signed in',
  tools: { allow: ['who_am_i', 'search_catalog'] },
};

describe('every kind of caller, identified', () => {
  let gateway: TestGateway;
  let jwks: Server;
  let signingKey: CryptoKey;
  let jwksUrl: string;

  const connectWithToken = async (token: string) => {
    const client = new Client({ name: 'identity-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(gateway.url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    return client;
  };

  const whoAmI = async (client: Client) =>
    ((await client.callTool({ name: 'who_am_i', arguments: {} })) as any)
      .structuredContent;

  const externalToken = async (sub: string, key = signingKey) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'test-key' })
      .setSubject(sub)
      .setIssuer('https://idp.test')
      .setAudience('acme-agents')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    signingKey = privateKey;
    const jwk = {
      ...(await exportJWK(publicKey)),
      kid: 'test-key',
      alg: 'ES256',
    };
    jwks = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>(resolve => jwks.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks.json`;

    gateway = await startTestGateway({
      subjects: ['catalog-reader'],
      users: true,
      permissionPolicy: new AdopterPolicy(),
      features: [portalChatPlugin],
      externalAccess: [
        {
          type: 'jwks',
          options: {
            url: jwksUrl,
            issuer: 'https://idp.test',
            algorithm: 'ES256',
            audience: 'acme-agents',
          },
        },
        {
          type: 'static',
          options: {
            token: 'catalog-only-token-value',
            subject: 'catalog-only-bot',
          },
          accessRestrictions: [{ plugin: 'catalog' }],
        },
        {
          type: 'static',
          options: {
            token: 'restricted-token-value',
            subject: 'restricted-bot',
          },
          // May reach the gateway, but with no permission to invoke tools.
          accessRestrictions: [
            { plugin: 'mcp-gateway', permission: 'catalog.entity.read' },
          ],
        },
      ],
      agents: [
        {
          id: 'catalog-reader',
          principals: [{ service: 'catalog-reader' }],
          tools: { allow: ['*'] },
        },
        {
          id: 'n8n',
          principals: [{ service: 'external:n8n-flow' }],
          tools: { allow: ['who_am_i'] },
        },
        {
          id: 'restricted',
          principals: [{ service: 'restricted-bot' }],
          tools: { allow: ['*'] },
        },
        {
          id: 'portal-chat',
          principals: [{ actor: 'plugin:portal-ai-chat' }],
          tools: { allow: ['*'] },
        },
        {
          id: 'alice-assistant',
          principals: [{ user: 'user:default/alice' }],
          tools: { allow: ['who_am_i', 'get_entity'] },
        },
        {
          id: 'sre-crew',
          principals: [{ group: 'group:default/sre' }],
          tools: { allow: ['*'] },
        },
        {
          id: 'platform-crew',
          principals: [{ group: 'group:default/platform' }],
          tools: { allow: ['*'] },
        },
      ],
      defaultAgent: DEFAULT_AGENT,
    });
    await waitForCatalog(gateway, tokenFor('catalog-reader'), 70);
  }, 90_000);

  afterAll(async () => {
    await gateway?.stop();
    await new Promise(resolve => jwks?.close(resolve));
  });

  describe('external service tokens', () => {
    it('identifies a JWKS token as external:<sub>', async () => {
      const client = await connectWithToken(await externalToken('n8n-flow'));
      expect(await whoAmI(client)).toMatchObject({
        agent: { id: 'n8n' },
        principal: 'external:n8n-flow',
        principalType: 'service',
        matchedBy: 'service external:n8n-flow',
      });
      await client.close();
    });

    it('answers a JWKS token signed with another key with 401', async () => {
      const { privateKey } = await generateKeyPair('ES256');
      const response = await gateway.post(
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        {
          authorization: `Bearer ${await externalToken('n8n-flow', privateKey)}`,
        },
      );
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain(
        'invalid_token',
      );
    });

    it('refuses a token restricted to other plugins with 403, saying so', async () => {
      const response = await gateway.post(
        { jsonrpc: '2.0', id: 1, method: 'tools/list' },
        { authorization: 'Bearer catalog-only-token-value' },
      );
      expect(response.status).toBe(403);
      expect((await response.json()).error.message).toBe(
        "This token's access is restricted to plugin(s) 'catalog'",
      );
    });

    it("lets a token's accessRestrictions veto every tool", async () => {
      const client = await connectWithToken('restricted-token-value');
      expect((await client.listTools()).tools).toEqual([]);
      const result: any = await client.callTool({
        name: 'who_am_i',
        arguments: {},
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        "Backstage's permission framework denied mcp-gateway.tool.invoke for tool 'who_am_i' to agent 'restricted' (principal 'restricted-bot').",
      );
      await client.close();
    });
  });

  describe('signed-in users', () => {
    it('matches a user by user ref before their groups', async () => {
      const alice = await signInAs(gateway.baseUrl, 'alice');
      expect(alice.ownershipEntityRefs).toContain('group:default/sre');
      const client = await connectWithToken(alice.token);
      expect(await whoAmI(client)).toMatchObject({
        agent: { id: 'alice-assistant' },
        principal: 'user:default/alice',
        principalType: 'user',
        onBehalfOf: 'user:default/alice',
        matchedBy: 'user user:default/alice',
      });
      await client.close();
    });

    it('matches by group membership, the first listed agent winning', async () => {
      const carol = await connectWithToken(
        (await signInAs(gateway.baseUrl, 'carol')).token,
      );
      expect((await whoAmI(carol)).matchedBy).toBe(
        'group group:default/platform',
      );
      const nina = await signInAs(gateway.baseUrl, 'nina');
      expect(nina.ownershipEntityRefs).toEqual(
        expect.arrayContaining(['group:default/sre', 'group:default/platform']),
      );
      const ninaClient = await connectWithToken(nina.token);
      expect((await whoAmI(ninaClient)).agent.id).toBe('sre-crew');
      await Promise.all([carol.close(), ninaClient.close()]);
    });

    it('gives a user no agent claims the default agent', async () => {
      const client = await connectWithToken(
        (await signInAs(gateway.baseUrl, 'bob')).token,
      );
      expect(await whoAmI(client)).toMatchObject({
        agent: { id: 'default', description: 'Anyone else signed in' },
        principal: 'user:default/bob',
        matchedBy: 'mcpGateway.defaultAgent (no agent claims this principal)',
      });
      expect((await client.listTools()).tools.map(t => t.name).sort()).toEqual(
        toolsAllowedFor(DEFAULT_AGENT).sort(),
      );
      await client.close();
    });
  });

  describe("Portal's AI chat, calling on behalf of a user", () => {
    it('is the portal agent, acting for the user through the actor plugin', async () => {
      const alice = await signInAs(gateway.baseUrl, 'alice');
      const result = await askThroughPortal(
        gateway.baseUrl,
        alice.token,
        'who_am_i',
      );
      expect(result.structuredContent).toMatchObject({
        agent: { id: 'portal-chat' },
        principal: 'user:default/alice',
        onBehalfOf: 'user:default/alice',
        actor: 'plugin:portal-ai-chat',
        matchedBy: 'actor plugin:portal-ai-chat',
      });
    });

    it("sees only what that user may see: the catalog's policy still applies", async () => {
      const alice = await signInAs(gateway.baseUrl, 'alice');
      const bob = await signInAs(gateway.baseUrl, 'bob');
      const asAlice = await askThroughPortal(
        gateway.baseUrl,
        alice.token,
        'get_entity',
        { ref: 'ledger-service' },
      );
      expect(asAlice.isError).toBe(true);
      expect(textOf(asAlice)).toMatch(/^No entity matches 'ledger-service'/);
      const asBob = await askThroughPortal(
        gateway.baseUrl,
        bob.token,
        'get_entity',
        { ref: 'ledger-service' },
      );
      expect(asBob.structuredContent.entity.ref).toBe(
        'component:finance/ledger-service',
      );

      const countFor = async (token: string) =>
        (
          await askThroughPortal(gateway.baseUrl, token, 'list_entities', {
            kind: 'Component',
            limit: 1,
          })
        ).structuredContent.totalItems;
      expect(await countFor(bob.token)).toBe((await countFor(alice.token)) + 1);
    });

    it('does not name entities the policy hides from that user, in relations or spec', async () => {
      const alice = await signInAs(gateway.baseUrl, 'alice');
      const bob = await signInAs(gateway.baseUrl, 'bob');
      const read = (token: string, ref: string) =>
        askThroughPortal(gateway.baseUrl, token, 'get_entity', {
          ref,
          detail: 'full',
        });

      // payments-api depends on and consumes finance entities by name.
      const api = await read(alice.token, 'payments-api');
      expect(JSON.stringify(api)).not.toMatch(/finance\//);
      const { spec, relations } = api.structuredContent.full;
      const dependsOnLedger = relations.find(
        (r: any) => r.type === 'dependsOn' && r.targetRef.startsWith('elided:'),
      );
      expect(dependsOnLedger.targetRef).toMatch(/^elided:[0-9a-f]{12}$/);
      // The same elided id in spec and relations: lining them up decodes nothing.
      expect(spec.dependsOn).toContain(dependsOnLedger.targetRef);

      // The payments system lists its finance parts only to their owners.
      const system = await read(alice.token, 'system:default/payments');
      expect(JSON.stringify(system)).not.toMatch(/finance\//);
      const asBob = await read(bob.token, 'system:default/payments');
      expect(JSON.stringify(asBob.structuredContent)).toContain(
        'component:finance/ledger-service',
      );
    });
  });

  describe('on top of the permission framework', () => {
    it("lets the adopter's policy veto a tool that app-config allows, in listings and calls", async () => {
      const bob = await signInAs(gateway.baseUrl, 'bob');
      const { tools } = await askThroughPortal(gateway.baseUrl, bob.token);
      expect(tools.map((t: any) => t.name)).not.toContain('list_owners');
      expect(tools.map((t: any) => t.name)).toContain('get_entity');
      const refused = await askThroughPortal(
        gateway.baseUrl,
        bob.token,
        'list_owners',
        { ref: 'payments-api' },
      );
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toBe(
        "Backstage's permission framework denied mcp-gateway.tool.invoke for tool 'list_owners' to agent 'portal-chat' (principal 'user:default/bob').",
      );
      // The same agent, for a member of the SRE group, is allowed.
      const alice = await signInAs(gateway.baseUrl, 'alice');
      const allowed = await askThroughPortal(
        gateway.baseUrl,
        alice.token,
        'list_owners',
        { ref: 'payments-api' },
      );
      expect(allowed.isError).toBeFalsy();
    });

    it('lets app-config narrow what the policy allows', async () => {
      const client = await connectWithToken(
        (await signInAs(gateway.baseUrl, 'alice')).token,
      );
      const result: any = await client.callTool({
        name: 'list_owners',
        arguments: { ref: 'payments-api' },
      });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(
        "Agent 'alice-assistant' may not call tool 'list_owners' (refused by mcpGateway.agents[alice-assistant].tools.allow (no pattern matches)).",
      );
      await client.close();
    });
  });
});
