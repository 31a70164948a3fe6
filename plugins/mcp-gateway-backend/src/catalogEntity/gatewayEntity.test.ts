import { parse } from 'yaml';
import { apiEntityV1alpha1Validator } from '@backstage/catalog-model';
import { mcpServerApiEntityValidator } from '@backstage/catalog-model/alpha';
import { buildGatewayEntity } from './gatewayEntity';

const MCP_URL = 'https://backstage.example.com/api/mcp-gateway';
const SETTINGS = {
  name: 'mcp-gateway',
  title: 'MCP Gateway',
  description: 'Backstage as MCP tools.',
  owner: 'group:default/platform',
  lifecycle: 'production',
  serverName: 'com.example.backstage/mcp-gateway',
};
const build = (settings: Partial<typeof SETTINGS> & { system?: string } = {}) =>
  buildGatewayEntity({
    settings: { ...SETTINGS, ...settings },
    mcpUrl: MCP_URL,
    version: '1.2.3',
    providerName: 'TestProvider',
  });

describe('buildGatewayEntity', () => {
  it('describes the gateway as an MCP server API, as Portal lists them', () => {
    const entity = build();
    expect(entity).toEqual({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: {
        name: 'mcp-gateway',
        namespace: 'default',
        title: 'MCP Gateway',
        description: 'Backstage as MCP tools.',
        annotations: {
          'backstage.io/managed-by-location': 'provider:TestProvider',
          'backstage.io/managed-by-origin-location': 'provider:TestProvider',
          'mcp.spotify.com/schema-version': '2025-09-29',
          'mcp.spotify.com/auth-plugin-id': 'mcp-gateway',
        },
      },
      spec: {
        type: 'mcp-server',
        lifecycle: 'production',
        owner: 'group:default/platform',
        remotes: [{ type: 'streamable-http', url: MCP_URL }],
        definition: expect.any(String),
      },
    });
  });

  it('writes the definition as YAML with the server name, version and remotes', () => {
    // The definition is JSON, which is YAML 1.2: any YAML parser reads
    // this same object.
    expect(parse(build().spec!.definition as string)).toEqual({
      name: 'com.example.backstage/mcp-gateway',
      description: 'Backstage as MCP tools.',
      version: '1.2.3',
      remotes: [{ type: 'streamable-http', url: MCP_URL }],
    });
  });

  it('names the system only when there is one', () => {
    expect(build().spec).not.toHaveProperty('system');
    expect(build({ system: 'developer-platform' }).spec).toMatchObject({
      system: 'developer-platform',
    });
  });

  it("is valid for the catalog's API kind and upstream's mcp-server shape", async () => {
    const entity = build({ system: 'developer-platform' });
    await expect(apiEntityV1alpha1Validator.check(entity)).resolves.toBe(true);
    await expect(mcpServerApiEntityValidator.check(entity)).resolves.toBe(true);
  });
});
