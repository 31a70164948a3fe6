import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  GetEntityFacetsRequest,
  GetEntityFacetsResponse,
  QueryEntitiesInitialRequest,
  QueryEntitiesResponse,
  StreamEntitiesRequest,
} from '@backstage/catalog-client';
import { Entity } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GatewayRefusal } from '../corridor/refusal';
import { AgentScope, elidedRef, isElidedRef } from '../policy/agentScope';
import { RedactionSession } from '../policy/redaction';

/**
 * The catalog as tools see it, bound to one call:
 * - every request is made on behalf of the caller's credentials, so the
 *   catalog's own permission policy applies to the real caller;
 * - the agent's entity visibility is part of every query, so hidden
 *   entities are not found, not counted and not listed;
 * - relations to hidden entities become elided placeholders;
 * - redacted fields are replaced before a tool sees them, and cannot be
 *   filtered, sorted or searched on.
 * A tool cannot forget any of this: it has no other way to the catalog.
 */
export class CallerCatalog {
  constructor(
    private readonly catalog: CatalogService,
    private readonly credentials: BackstageCredentials,
    private readonly scope: AgentScope,
    private readonly redaction: RedactionSession,
  ) {}

  async query(
    request: QueryEntitiesInitialRequest,
  ): Promise<QueryEntitiesResponse> {
    this.guardFilterKeys(request.filter);
    this.guardOrder(request.orderFields);
    const response = await this.catalog.queryEntities(
      {
        ...request,
        fullTextFilter: this.searchableText(request.fullTextFilter),
        query: this.withVisibility(request.query),
      },
      this.options,
    );
    return { ...response, items: await this.release(response.items) };
  }

  async getByRef(ref: string): Promise<Entity | undefined> {
    const [entity] = await this.getByRefs([ref]);
    return entity;
  }

  async getByRefs(
    entityRefs: string[],
    fields?: string[],
  ): Promise<Array<Entity | undefined>> {
    const readable = entityRefs.filter(ref => !isElidedRef(ref));
    if (readable.length === 0) return entityRefs.map(() => undefined);
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: readable, fields, query: this.withVisibility(undefined) },
      this.options,
    );
    const released = await this.release(items.filter((e): e is Entity => !!e));
    const byRef = new Map<string, Entity | undefined>();
    let next = 0;
    readable.forEach((ref, i) =>
      byRef.set(ref, items[i] ? released[next++] : undefined),
    );
    return entityRefs.map(ref => byRef.get(ref));
  }

  /** Asks the catalog to reprocess an entity the agent can see. */
  async refresh(ref: string): Promise<void> {
    await this.catalog.refreshEntity(ref, this.options);
  }

  async facets(
    request: GetEntityFacetsRequest,
  ): Promise<GetEntityFacetsResponse> {
    this.guardFilterKeys(request.filter);
    for (const facet of request.facets) this.guardPath(facet, 'count by');
    return this.catalog.getEntityFacets(
      { ...request, query: this.withVisibility(request.query) },
      this.options,
    );
  }

  async *stream(request: StreamEntitiesRequest): AsyncIterable<Entity[]> {
    this.guardFilterKeys(request.filter);
    for await (const page of this.catalog.streamEntities(
      { ...request, query: this.withVisibility(request.query) },
      this.options,
    )) {
      yield await this.release(page);
    }
  }

  private get options() {
    return { credentials: this.credentials };
  }

  private withVisibility(
    query: FilterPredicate | undefined,
  ): FilterPredicate | undefined {
    const visible = this.scope.visibility?.predicate;
    if (!visible) return query;
    return query ? { $all: [query, visible] } : visible;
  }

  /** Entities on their way to a tool: relations elided, fields redacted. */
  private async release(entities: Entity[]): Promise<Entity[]> {
    const elided = await this.elideRelations(entities);
    return elided.map(entity => this.redaction.redact(entity));
  }

  private async elideRelations(entities: Entity[]): Promise<Entity[]> {
    const visibility = this.scope.visibility;
    if (!visibility || !entities.some(e => e.relations?.length))
      return entities;
    let visible = (ref: string) => visibility.allowsRef(ref);
    if (visibility.needsLookup) {
      const targets = [
        ...new Set(
          entities.flatMap(e =>
            (e.relations ?? []).map(r => r.targetRef.toLowerCase()),
          ),
        ),
      ].filter(ref => visibility.allowsRef(ref));
      const { items } = await this.catalog.getEntitiesByRefs(
        { entityRefs: targets, fields: ['kind'], query: visibility.predicate },
        this.options,
      );
      const found = new Set(targets.filter((_, i) => items[i]));
      visible = ref => found.has(ref.toLowerCase());
    }
    return entities.map(entity =>
      entity.relations
        ? {
            ...entity,
            relations: entity.relations.map(r =>
              visible(r.targetRef)
                ? r
                : { type: r.type, targetRef: elidedRef(r.targetRef) },
            ),
          }
        : entity,
    );
  }

  private guardFilterKeys(filter: unknown) {
    for (const record of asList(filter as object | object[] | undefined)) {
      for (const key of Object.keys(record)) this.guardPath(key, 'filter on');
    }
  }

  private guardOrder(order: QueryEntitiesInitialRequest['orderFields']) {
    for (const { field } of asList(order)) this.guardPath(field, 'sort by');
  }

  private guardPath(path: string, verb: string) {
    const rule = this.redaction.rules.ruleFor(path);
    if (rule) {
      throw new GatewayRefusal(
        'policy',
        `This agent may not ${verb} '${path}': the field is redacted (${rule}).`,
      );
    }
  }

  /** Redacted fields are left out of full-text search, so a match cannot reveal them. */
  private searchableText(
    fullText: QueryEntitiesInitialRequest['fullTextFilter'],
  ): QueryEntitiesInitialRequest['fullTextFilter'] {
    if (!fullText?.fields) return fullText;
    const fields = fullText.fields.filter(
      f => !this.redaction.rules.ruleFor(f),
    );
    if (fields.length === 0) {
      throw new GatewayRefusal(
        'policy',
        'Every field this search would look in is redacted for this agent.',
      );
    }
    return { ...fullText, fields };
  }
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
