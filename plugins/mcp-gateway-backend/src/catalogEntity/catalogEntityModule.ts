import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { version } from '../../package.json';
import { readCatalogEntityConfig } from './catalogEntityConfig';
import { buildGatewayEntity, GATEWAY_PLUGIN_ID } from './gatewayEntity';
import { GatewayEntityProvider } from './gatewayEntityProvider';

/**
 * Registers the gateway in the catalog as an MCP server API entity
 * (`mcpGateway.catalogEntity`), which is how Spotify Portal finds MCP
 * servers. This file only wires.
 *
 * The provider is always added, even when `enabled: false`: it then gives
 * the catalog an empty full mutation, so an entity registered earlier is
 * removed (also with `catalog.orphanProviderStrategy: keep`, and when a
 * reloaded config disables it without a restart).
 */
export const mcpGatewayCatalogEntityModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'mcp-gateway-entity',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        logger: coreServices.logger,
        lifecycle: coreServices.lifecycle,
        catalog: catalogProcessingExtensionPoint,
      },
      async init({ config, discovery, logger, lifecycle, catalog }) {
        async function currentEntity(): Promise<Entity | undefined> {
          const mcpUrl = await discovery.getExternalBaseUrl(GATEWAY_PLUGIN_ID);
          const settings = readCatalogEntityConfig(config, mcpUrl);
          return settings.enabled
            ? buildGatewayEntity({
                settings,
                mcpUrl,
                version,
                providerName: GatewayEntityProvider.providerName,
              })
            : undefined;
        }

        // Read now: an invalid config stops the backend at start-up.
        const provider = new GatewayEntityProvider(await currentEntity());
        catalog.addEntityProvider(provider);

        // A reloaded config (Backstage watches app-config files) updates the
        // entity; an invalid one is refused and the entity stays as it was.
        async function reload() {
          let entity: Entity | undefined;
          try {
            entity = await currentEntity();
          } catch (error) {
            logger.error(
              `Refused the reloaded mcpGateway.catalogEntity configuration; the gateway's catalog entity stays as it was. ${messageOf(error)}`,
            );
            return;
          }
          try {
            await provider.update(entity);
          } catch (error) {
            logger.error(
              `Could not update the gateway's catalog entity: ${messageOf(error)}`,
            );
          }
        }
        const subscription = config.subscribe?.(() => {
          void reload();
        });
        lifecycle.addShutdownHook(() => subscription?.unsubscribe());
      },
    });
  },
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
