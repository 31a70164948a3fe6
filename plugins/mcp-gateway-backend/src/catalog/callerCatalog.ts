import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  GetEntitiesByRefsRequest,
  GetEntityFacetsRequest,
  GetEntityFacetsResponse,
  QueryEntitiesInitialRequest,
  QueryEntitiesResponse,
  StreamEntitiesRequest,
} from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * The catalog as tools see it: every call is made on behalf of the caller's
 * credentials, so the catalog's own permission policy applies to the real
 * caller and a tool cannot forget to pass them.
 */
export class CallerCatalog {
  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: BackstageCredentials,
  ) {}

  query(request: QueryEntitiesInitialRequest): Promise<QueryEntitiesResponse> {
    return this.catalog.queryEntities(request, this.options);
  }

  getByRef(ref: string): Promise<Entity | undefined> {
    return this.catalog.getEntityByRef(ref, this.options);
  }

  async getByRefs(
    entityRefs: string[],
    fields?: GetEntitiesByRefsRequest['fields'],
  ): Promise<Array<Entity | undefined>> {
    if (entityRefs.length === 0) {
      return [];
    }
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs, fields },
      this.options,
    );
    return items;
  }

  facets(request: GetEntityFacetsRequest): Promise<GetEntityFacetsResponse> {
    return this.catalog.getEntityFacets(request, this.options);
  }

  stream(request: StreamEntitiesRequest): AsyncIterable<Entity[]> {
    return this.catalog.streamEntities(request, this.options);
  }

  private get options() {
    return { credentials: this.credentials };
  }
}
