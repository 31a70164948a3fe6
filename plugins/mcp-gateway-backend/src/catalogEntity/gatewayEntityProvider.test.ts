import { Entity } from '@backstage/catalog-model';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { GatewayEntityProvider } from './gatewayEntityProvider';

const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: { name },
});
const LOCATION_KEY = 'provider:McpGatewayEntityProvider';

function connection() {
  return {
    applyMutation: jest.fn(async () => {}),
    refresh: jest.fn(async () => {}),
  } satisfies EntityProviderConnection;
}

describe('GatewayEntityProvider', () => {
  it('gives the catalog its entity when connected', async () => {
    const provider = new GatewayEntityProvider(entity('mcp-gateway'));
    const catalog = connection();
    await provider.connect(catalog);
    expect(catalog.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [{ entity: entity('mcp-gateway'), locationKey: LOCATION_KEY }],
    });
  });

  it('gives an empty full mutation when disabled, removing an earlier entity', async () => {
    const provider = new GatewayEntityProvider(undefined);
    const catalog = connection();
    await provider.connect(catalog);
    expect(catalog.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [],
    });
  });

  it('replaces the entity on update, and only when it changed', async () => {
    const provider = new GatewayEntityProvider(entity('mcp-gateway'));
    const catalog = connection();
    await provider.connect(catalog);
    await provider.update(entity('mcp-gateway'));
    expect(catalog.applyMutation).toHaveBeenCalledTimes(1);
    await provider.update(entity('renamed'));
    await provider.update(undefined);
    expect(catalog.applyMutation.mock.calls.slice(1)).toEqual([
      [
        {
          type: 'full',
          entities: [{ entity: entity('renamed'), locationKey: LOCATION_KEY }],
        },
      ],
      [{ type: 'full', entities: [] }],
    ]);
  });

  it('applies an update made before the catalog connects on connect', async () => {
    const provider = new GatewayEntityProvider(entity('mcp-gateway'));
    await provider.update(entity('renamed'));
    const catalog = connection();
    await provider.connect(catalog);
    expect(catalog.applyMutation).toHaveBeenCalledTimes(1);
    expect(catalog.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: [{ entity: entity('renamed'), locationKey: LOCATION_KEY }],
    });
  });
});
