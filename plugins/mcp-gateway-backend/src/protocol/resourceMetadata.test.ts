import { mockServices } from '@backstage/backend-test-utils';
import { HostDiscovery } from '@backstage/backend-defaults/discovery';
import { ProtectedResource } from './resourceMetadata';

const discoveryFor = (data: object) =>
  HostDiscovery.fromConfig(mockServices.rootConfig({ data }));

describe('ProtectedResource', () => {
  it('names the public URLs when the backend has an external base URL', async () => {
    const resource = await ProtectedResource.of(
      discoveryFor({
        backend: { baseUrl: 'https://portal.acme.example' },
      }),
    );
    expect(resource.metadata).toEqual({
      resource: 'https://portal.acme.example/api/mcp-gateway',
      authorization_servers: ['https://portal.acme.example/api/auth'],
      bearer_methods_supported: ['header'],
      resource_name: 'Backstage MCP Gateway',
    });
    expect(resource.path).toBe(
      '/.well-known/oauth-protected-resource/api/mcp-gateway',
    );
    expect(resource.challenge(false)).toBe(
      'Bearer realm="backstage", resource_metadata="https://portal.acme.example/.well-known/oauth-protected-resource/api/mcp-gateway"',
    );
    expect(resource.challenge(true)).toBe(
      'Bearer realm="backstage", error="invalid_token", resource_metadata="https://portal.acme.example/.well-known/oauth-protected-resource/api/mcp-gateway"',
    );
  });

  it('follows discovery endpoints that move a plugin elsewhere', async () => {
    const resource = await ProtectedResource.of(
      discoveryFor({
        backend: { baseUrl: 'http://localhost:7007' },
        discovery: {
          endpoints: [
            {
              target: {
                internal: 'http://backstage.internal:7007/api/{{pluginId}}',
                external: 'https://backstage.acme.example/api/{{pluginId}}',
              },
              plugins: ['mcp-gateway', 'auth'],
            },
          ],
        },
      }),
    );
    expect(resource.metadata.resource).toBe(
      'https://backstage.acme.example/api/mcp-gateway',
    );
    expect(resource.metadata.authorization_servers).toEqual([
      'https://backstage.acme.example/api/auth',
    ]);
    expect(resource.challenge(false)).toContain(
      'resource_metadata="https://backstage.acme.example/.well-known/oauth-protected-resource/api/mcp-gateway"',
    );
  });
});
