import { Entity } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import { isDeepStrictEqual } from 'node:util';

/**
 * Gives the catalog the gateway's own API entity, or nothing when it is
 * disabled. Every change is a full mutation: the catalog then holds exactly
 * what this provider last gave it, so an entity registered before and since
 * disabled (or renamed) is removed, not left behind.
 */
export class GatewayEntityProvider implements EntityProvider {
  static readonly providerName = 'McpGatewayEntityProvider';
  private connection?: EntityProviderConnection;

  /** `entity`: what to register when the catalog connects; undefined for none. */
  constructor(private entity: Entity | undefined) {}

  getProviderName(): string {
    return GatewayEntityProvider.providerName;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.apply();
  }

  /** Replaces the registered entity (a reloaded config); unchanged is a no-op. */
  async update(entity: Entity | undefined): Promise<void> {
    if (isDeepStrictEqual(entity, this.entity)) return;
    this.entity = entity;
    await this.apply();
  }

  private async apply() {
    // Before the catalog connects, connect() applies the latest entity.
    if (!this.connection) return;
    await this.connection.applyMutation({
      type: 'full',
      entities: this.entity
        ? [
            {
              entity: this.entity,
              locationKey: `provider:${GatewayEntityProvider.providerName}`,
            },
          ]
        : [],
    });
  }
}
