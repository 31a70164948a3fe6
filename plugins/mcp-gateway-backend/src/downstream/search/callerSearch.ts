import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { Caller } from '../../core/caller';
import { CallerCatalog } from '../callerCatalog';
import { PluginRequests } from '../pluginRequests';
import {
  CATALOG_TYPE,
  entityRefOfDocument,
  SearchDocument,
} from './searchDocuments';

/** One backend page: small, so a filtered page needs few of them. */
const BACKEND_PAGE = 25;
/** Backend pages read per call at most, however many hits are filtered out. */
const MAX_BACKEND_PAGES = 8;

export interface SearchRequest {
  term: string;
  types?: string[];
  /** Exact-match filters the search engine applies (e.g. kind, name). */
  filters?: Record<string, string>;
  /** Hits whose entity fails this test are skipped (owner, exact ref). */
  keep?: (entity: Entity) => boolean;
  limit: number;
  /** Where the previous page stopped (see SearchPosition). */
  after?: SearchPosition;
}

/** A point in the backend's result list: its page cursor and a hit on that page. */
export interface SearchPosition {
  pageCursor?: string;
  index: number;
}

export interface SearchHit {
  type: string;
  title: string;
  text: string;
  /** Where Backstage shows it, e.g. `/docs/default/component/x/runbook/`. */
  location: string;
  /** The entity the document belongs to, when it belongs to one. */
  entity?: Entity;
  document: SearchDocument;
  /** The engine's highlighted snippet of the text, if it made one. */
  highlight?: string;
}

export interface SearchPage {
  hits: SearchHit[];
  /** Where the next page starts; absent on the last page. */
  next?: SearchPosition;
}

interface BackendResult {
  type: string;
  document: SearchDocument;
  highlight?: {
    preTag: string;
    postTag: string;
    fields: Record<string, string>;
  };
}

interface BackendPage {
  results: BackendResult[];
  nextPageCursor?: string;
}

/**
 * Backstage search bound to one call: queried on the caller's behalf (the
 * search backend filters by the caller's permissions), then every hit that
 * belongs to an entity is kept only if the catalog, asked as the caller
 * within the agent's visibility, releases that entity. Released entities
 * come redacted, so a document whose match could only come from a redacted
 * field is dropped too. Totals are never reported: the engine's would count
 * what the agent may not see.
 */
export class CallerSearch {
  constructor(
    private readonly requests: PluginRequests,
    private readonly catalog: CallerCatalog,
    private readonly caller: Caller,
    private readonly signal: AbortSignal,
  ) {}

  async query(request: SearchRequest): Promise<SearchPage> {
    const hits: SearchHit[] = [];
    let position: SearchPosition | undefined = request.after ?? { index: 0 };
    for (let read = 0; position && read < MAX_BACKEND_PAGES; read++) {
      const page = await this.backendPage(request, position.pageCursor);
      const kept = await this.visibleHits(page.results, request);
      let index = position.index;
      for (; index < kept.length && hits.length < request.limit; index++) {
        const hit = kept[index];
        if (hit) hits.push(hit);
      }
      if (index < kept.length) {
        return { hits, next: { pageCursor: position.pageCursor, index } };
      }
      position = page.nextPageCursor
        ? { pageCursor: page.nextPageCursor, index: 0 }
        : undefined;
      if (hits.length >= request.limit) break;
    }
    return { hits, ...(position && { next: position }) };
  }

  private backendPage(
    request: SearchRequest,
    pageCursor: string | undefined,
  ): Promise<BackendPage> {
    const params = new URLSearchParams({ term: request.term });
    request.types?.forEach((type, i) => params.set(`types[${i}]`, type));
    for (const [field, value] of Object.entries(request.filters ?? {})) {
      params.set(`filters[${field}]`, value);
    }
    params.set('pageLimit', String(BACKEND_PAGE));
    if (pageCursor) params.set('pageCursor', pageCursor);
    return this.requests.getJson<BackendPage>('search', `/query?${params}`, {
      credentials: this.caller.credentials,
      signal: this.signal,
    });
  }

  /**
   * The page's results in order, a hidden or filtered-out one as
   * undefined, so positions within the backend page stay stable.
   */
  private async visibleHits(
    results: BackendResult[],
    request: SearchRequest,
  ): Promise<Array<SearchHit | undefined>> {
    const refs = results.map(result =>
      entityRefOfDocument(result.type, result.document),
    );
    const named = [...new Set(refs.filter((r): r is string => !!r))];
    // One batched read as the caller: visibility, permissions, redaction.
    const entities = named.length ? await this.catalog.getByRefs(named) : [];
    const released = new Map(
      entities
        .filter((e): e is Entity => !!e)
        .map(e => [stringifyEntityRef(e).toLowerCase(), e]),
    );
    return results.map((result, i) => {
      const ref = refs[i];
      const entity = ref ? released.get(ref) : undefined;
      // '' is a document of a known type whose entity cannot be told.
      if (ref !== undefined && !entity) return undefined;
      if (entity && request.keep && !request.keep(entity)) return undefined;
      const hit = hitOf(result, entity);
      const shown = `${hit.title} ${hit.text}`;
      if (entity && this.catalog.matchesOnlyHidden(request.term, shown)) {
        return undefined;
      }
      return hit;
    });
  }
}

function hitOf(result: BackendResult, entity: Entity | undefined): SearchHit {
  const { document } = result;
  const hit: SearchHit = {
    type: result.type,
    title: String(document.title ?? ''),
    text: String(document.text ?? ''),
    location: String(document.location ?? ''),
    document,
    ...(entity && { entity }),
  };
  if (result.type === CATALOG_TYPE && entity) {
    // The index holds the entity's fields unredacted (a user's email among
    // them): show them as the catalog released them to this agent.
    return { ...hit, title: entityTitle(entity), text: entityText(entity) };
  }
  const highlight = result.highlight?.fields?.text;
  if (!highlight) return hit;
  const { preTag, postTag } = result.highlight!;
  return {
    ...hit,
    highlight: highlight.split(preTag).join('**').split(postTag).join('**'),
  };
}

function entityTitle(entity: Entity): string {
  return String(entity.metadata.title ?? entity.metadata.name);
}

/** The catalog collator's document text, from the released entity. */
function entityText(entity: Entity): string {
  const profile = (entity.spec?.profile ?? {}) as Record<string, unknown>;
  return [entity.metadata.description, profile.displayName, profile.email]
    .filter((part): part is string => typeof part === 'string' && !!part)
    .join(' : ');
}
