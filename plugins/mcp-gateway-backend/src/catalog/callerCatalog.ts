import {
  EntityOrderQuery,
  GetEntityFacetsResponse,
} from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { GatewayRefusal } from '../corridor/refusal';
import { Caller } from '../identity/caller';
import { AgentScope, elisionFor } from '../policy/agentScope';
import { elideHidden, isPlaceholderRef, refsNamedBy } from '../policy/elision';
import { RedactionSession } from '../policy/redaction';

/**
 * A catalog query as tools may ask it: filters only as a structured
 * predicate, which the catalog receives as JSON and never re-parses, so no
 * filter value can smuggle in a second filter.
 */
export interface CatalogQuery {
  query?: FilterPredicate;
  fullTextFilter?: { term: string; fields: string[] };
  orderFields?: EntityOrderQuery;
  fields?: string[];
  limit?: number;
  offset?: number;
}

export interface CatalogPage {
  items: Entity[];
  totalItems: number;
}

/** What binds the catalog to each call. */
export interface CallerCatalogOptions {
  catalog: CatalogService;
  /**
   * Whether Backstage's permission framework is on. When it is, the
   * catalog's policy may hide entities from users, so the names of
   * entities a user may not read are elided too.
   */
  permissionsEnabled: boolean;
}

/**
 * The catalog as tools see it, bound to one call:
 * - every request is made on behalf of the caller's credentials, so the
 *   catalog's own permission policy applies to the real caller;
 * - the agent's entity visibility is part of every query, so hidden
 *   entities are not found, not counted and not listed;
 * - names of entities the caller may not see (by the agent's rules or by
 *   the permission policy) are elided in relations and `spec` references;
 * - redacted fields are replaced before a tool sees them, and cannot be
 *   filtered, sorted or searched on, directly or through a relation.
 * A tool cannot forget any of this: it has no other way to the catalog.
 */
export class CallerCatalog {
  /** Which named refs this caller may read, learned during this call. */
  private readonly readable = new Map<string, boolean>();
  private readonly elide: (ref: string) => string;

  constructor(
    private readonly options: CallerCatalogOptions,
    private readonly caller: Caller,
    private readonly scope: AgentScope,
    private readonly redaction: RedactionSession,
  ) {
    this.elide = elisionFor(caller.agent.id, caller.principal);
  }

  async query(request: CatalogQuery): Promise<CatalogPage> {
    this.guardPredicate(request.query);
    for (const { field } of asList(request.orderFields)) {
      this.guardPath(field, 'sort by');
    }
    const { items, totalItems } = await this.options.catalog.queryEntities(
      {
        ...request,
        fullTextFilter: this.searchableText(request.fullTextFilter),
        query: this.withVisibility(request.query),
      },
      this.credentials,
    );
    return { items: await this.release(items), totalItems };
  }

  async getByRef(ref: string): Promise<Entity | undefined> {
    const [entity] = await this.getByRefs([ref]);
    return entity;
  }

  async getByRefs(
    entityRefs: string[],
    fields?: string[],
  ): Promise<Array<Entity | undefined>> {
    const readable = entityRefs.filter(ref => !isPlaceholderRef(ref));
    if (readable.length === 0) return entityRefs.map(() => undefined);
    const { items } = await this.options.catalog.getEntitiesByRefs(
      {
        entityRefs: readable,
        fields,
        query: this.scope.visibility?.predicate,
      },
      this.credentials,
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
    await this.options.catalog.refreshEntity(ref, this.credentials);
  }

  async facets(request: {
    facets: string[];
    query?: FilterPredicate;
  }): Promise<GetEntityFacetsResponse> {
    this.guardPredicate(request.query);
    for (const facet of request.facets) this.guardPath(facet, 'count by');
    return this.options.catalog.getEntityFacets(
      { facets: request.facets, query: this.withVisibility(request.query) },
      this.credentials,
    );
  }

  async *stream(request: {
    query?: FilterPredicate;
    fields?: string[];
  }): AsyncIterable<Entity[]> {
    this.guardPredicate(request.query);
    for await (const page of this.options.catalog.streamEntities(
      { ...request, query: this.withVisibility(request.query) },
      this.credentials,
    )) {
      yield await this.release(page);
    }
  }

  private get credentials() {
    return { credentials: this.caller.credentials };
  }

  /**
   * Always a predicate, even an empty one: the catalog client then sends
   * the query as a JSON body, never as `filter=` query strings.
   */
  private withVisibility(query: FilterPredicate | undefined): FilterPredicate {
    const visible = this.scope.visibility?.predicate;
    if (!visible) return query ?? { $all: [] };
    return query ? { $all: [query, visible] } : visible;
  }

  /** Entities on their way to a tool: hidden names elided, fields redacted. */
  private async release(entities: Entity[]): Promise<Entity[]> {
    for (const entity of entities) this.learnReadable(entity);
    const isHidden = await this.hiddenAmong(entities);
    return entities.map(entity =>
      this.redaction.redact(
        isHidden ? elideHidden(entity, isHidden, this.elide) : entity,
      ),
    );
  }

  /** An entity this caller just read is one it may see. */
  private learnReadable(entity: Entity) {
    if (entity.kind && entity.metadata?.name) {
      this.readable.set(stringifyEntityRef(entity).toLowerCase(), true);
    }
  }

  /** Which of the entities these entities name the caller may not see. */
  private async hiddenAmong(
    entities: Entity[],
  ): Promise<((ref: string) => boolean) | undefined> {
    const visibility = this.scope.visibility;
    // Backstage asks a permission policy about users only.
    const lookup =
      visibility?.needsLookup ||
      (this.options.permissionsEnabled && this.caller.principalType === 'user');
    if (!visibility && !lookup) return undefined;
    const named = new Set(entities.flatMap(refsNamedBy));
    const unknown = [...named].filter(
      ref => !this.readable.has(ref) && (visibility?.allowsRef(ref) ?? true),
    );
    if (lookup && unknown.length) {
      // One batched read for all of them, as this caller, never one per ref.
      const { items } = await this.options.catalog.getEntitiesByRefs(
        {
          entityRefs: unknown,
          fields: ['kind'],
          query: visibility?.predicate,
        },
        this.credentials,
      );
      unknown.forEach((ref, i) => this.readable.set(ref, Boolean(items[i])));
    }
    return ref =>
      !(visibility?.allowsRef(ref) ?? true) ||
      (lookup && this.readable.get(ref) !== true);
  }

  /** Every key a predicate filters on, at any depth, passes the guard. */
  private guardPredicate(predicate: FilterPredicate | undefined) {
    if (!predicate || typeof predicate !== 'object') return;
    const node = predicate as Record<string, unknown>;
    for (const [key, value] of Object.entries(node)) {
      if (key === '$all' || key === '$any') {
        for (const inner of value as FilterPredicate[]) {
          this.guardPredicate(inner);
        }
      } else if (key === '$not') {
        this.guardPredicate(value as FilterPredicate);
      } else if (key.startsWith('$')) {
        // Tools never build other operators; refuse what cannot be checked.
        throw new GatewayRefusal(
          'policy',
          `The gateway does not send filter operator '${key}'.`,
        );
      } else {
        this.guardPath(key, 'filter on');
        const type = relationContained(key, value);
        if (type) this.guardPath(`relations.${type}`, 'filter on');
      }
    }
  }

  private guardPath(path: string, verb: string) {
    const rule = this.redaction.rules.queryRule(path);
    if (rule) {
      throw new GatewayRefusal(
        'policy',
        `This agent may not ${verb} '${path}': the field is redacted (${rule}).`,
      );
    }
  }

  /** Redacted fields are left out of full-text search, so a match cannot reveal them. */
  private searchableText(
    fullText: CatalogQuery['fullTextFilter'],
  ): CatalogQuery['fullTextFilter'] {
    if (!fullText) return fullText;
    const fields = fullText.fields.filter(
      f => !this.redaction.rules.queryRule(f),
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

/** `{ relations: { $contains: { type } } }` filters on relations.<type>. */
function relationContained(key: string, value: unknown): string | undefined {
  if (key.toLowerCase() !== 'relations') return undefined;
  const contains = (value as { $contains?: { type?: unknown } } | undefined)
    ?.$contains;
  return typeof contains?.type === 'string' ? contains.type : undefined;
}

function asList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
