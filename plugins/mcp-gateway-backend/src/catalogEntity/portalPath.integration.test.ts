import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  isPermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { resolve as resolvePath } from 'node:path';
import {
  askThroughPortal,
  GatewayTestBackend,
  portalChatPlugin,
  signInAs,
  startGatewayTestBackend,
  textOf,
  waitForCatalog,
} from '../testUtils';
import { buildGatewayEntity } from './gatewayEntity';

const SAMPLE_ORG = resolvePath(__dirname, '../../../../examples/catalog.yaml');
const TOKEN = 'catalog-reader-token';
const GATEWAY = 'api:default/mcp-gateway';

/**
 * The finance namespace is visible only to its owners (bob's team, not
 * alice's); dave sees no API entity at all, so not the gateway's either.
 */
class VisibilityPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!isPermission(request.permission, catalogEntityReadPermission)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const claims = user?.info.ownershipEntityRefs ?? [];
    const financeOnlyToOwners: PermissionCriteria<
      PermissionCondition<'catalog-entity'>
    > = {
      anyOf: [
        {
          not: catalogConditions.hasMetadata({
            key: 'namespace',
            value: 'finance',
          }),
        },
        catalogConditions.isEntityOwner({ claims }),
      ],
    };
    return createCatalogConditionalDecision(
      request.permission,
      user?.info.userEntityRef === 'user:default/dave'
        ? {
            allOf: [
              financeOnlyToOwners,
              { not: catalogConditions.isEntityKind({ kinds: ['API'] }) },
            ],
          }
        : financeOnlyToOwners,
    );
  }
}

/**
 * Two MCP server entities that are wrong in one way each, pointing at the
 * real gateway: one names another plugin for the token, one a URL where
 * no MCP server is. Portal would fail to call either.
 */
const misregisteredServers = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'test-misregistered-mcp-servers',
  register(reg) {
    reg.registerInit({
      deps: {
        discovery: coreServices.discovery,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ discovery, catalog }) {
        const mcpUrl = await discovery.getExternalBaseUrl('mcp-gateway');
        const server = (name: string, url: string, authPluginId: string) => {
          const entity: Entity = buildGatewayEntity({
            settings: {
              name,
              title: name,
              description: 'Misregistered.',
              owner: 'group:default/platform',
              lifecycle: 'production',
              serverName: `localhost/${name}`,
            },
            mcpUrl: url,
            version: '0.0.0',
            providerName: 'TestMisregistered',
          });
          entity.metadata.annotations!['mcp.spotify.com/auth-plugin-id'] =
            authPluginId;
          return { entity, locationKey: 'provider:TestMisregistered' };
        };
        catalog.addEntityProvider({
          getProviderName: () => 'TestMisregistered',
          connect: connection =>
            connection.applyMutation({
              type: 'full',
              entities: [
                server('wrong-plugin', mcpUrl, 'catalog'),
                server('wrong-url', `${mcpUrl}-nowhere`, 'mcp-gateway'),
              ],
            }),
        });
      },
    });
  },
});

describe("Portal's path: the catalog entity, then the gateway on behalf of the user", () => {
  let gateway: GatewayTestBackend;

  const ask = async (
    user: string,
    tool: string,
    args: Record<string, unknown> = {},
    server = GATEWAY,
  ) => {
    const { token } = await signInAs(gateway.baseUrl, user);
    return askThroughPortal(gateway.baseUrl, token, tool, args, { server });
  };

  beforeAll(async () => {
    gateway = await startGatewayTestBackend({
      users: true,
      permissionPolicy: new VisibilityPolicy(),
      features: [portalChatPlugin, misregisteredServers],
      externalAccess: [
        {
          type: 'static',
          options: { token: TOKEN, subject: 'catalog-reader' },
        },
      ],
      catalogFiles: [SAMPLE_ORG],
      scaffolder: false,
      mcpGateway: {
        catalogEntity: { owner: 'group:default/platform' },
        agents: [
          {
            id: 'portal-chat',
            description: "Portal's AI chat, for the signed-in user.",
            principals: [{ actor: 'plugin:portal-ai-chat' }],
            tools: { allow: ['who_am_i', 'get_entity', 'search_catalog'] },
          },
        ],
      },
    });
    // The sample organisation and the three MCP server entities.
    await waitForCatalog(gateway, TOKEN, 71);
  }, 90_000);

  afterAll(() => gateway?.backend.stop());

  it("finds the gateway as Portal does: the entity's remote and auth plugin id", async () => {
    const { token } = await signInAs(gateway.baseUrl, 'alice');
    const response = await fetch(
      `${gateway.baseUrl}/api/catalog/entities/by-name/api/default/mcp-gateway`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    const entity = (await response.json()) as Entity;
    expect(entity.spec?.remotes).toEqual([
      { type: 'streamable-http', url: gateway.url },
    ]);
    expect(entity.metadata.annotations).toMatchObject({
      'mcp.spotify.com/auth-plugin-id': 'mcp-gateway',
    });
  });

  it('is attributed to the agent matched by the Portal plugin, acting for the user', async () => {
    const answer = await ask('alice', 'who_am_i');
    expect(answer.structuredContent).toMatchObject({
      agent: { id: 'portal-chat' },
      principal: 'user:default/alice',
      onBehalfOf: 'user:default/alice',
      actor: 'plugin:portal-ai-chat',
      matchedBy: 'actor plugin:portal-ai-chat',
    });
  });

  it('answers each user with what that user may see', async () => {
    const asBob = await ask('bob', 'get_entity', { ref: 'ledger-service' });
    expect(asBob.structuredContent.entity.ref).toBe(
      'component:finance/ledger-service',
    );
    const asAlice = await ask('alice', 'get_entity', { ref: 'ledger-service' });
    expect(asAlice.isError).toBe(true);
    expect(textOf(asAlice)).toMatch(/^No entity matches 'ledger-service'/);

    const found = async (user: string) =>
      (
        await ask(user, 'search_catalog', { term: 'ledger' })
      ).structuredContent.items.map((e: { ref: string }) => e.ref);
    expect(await found('bob')).toContain('component:finance/ledger-service');
    expect(await found('alice')).not.toContain(
      'component:finance/ledger-service',
    );
  });

  it('is out of reach for a user who may not see its entity', async () => {
    await expect(ask('dave', 'who_am_i')).rejects.toThrow(
      `Portal call failed: 404`,
    );
    await expect(ask('dave', 'who_am_i')).rejects.toThrow(
      `No MCP server ${GATEWAY} in the catalog`,
    );
  });

  it('fails where the entity names another plugin for the token, or another URL', async () => {
    await expect(
      ask('alice', 'who_am_i', {}, 'api:default/wrong-plugin'),
    ).rejects.toThrow(
      /Portal call failed: 401 .*the token was not accepted by Backstage/,
    );
    await expect(
      ask('alice', 'who_am_i', {}, 'api:default/wrong-url'),
    ).rejects.toThrow(/Portal call failed: 404 /);
  });
});
