import { EntityOrderQuery } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
import { Caller } from '../core/caller';
import { GatewayRefusal } from '../core/refusal';
import { AgentDataPolicy } from './agentDataPolicy';
import { elideHidden, elisionFor, refsNamedBy } from './elision';
import { fieldsToRead, projected } from './fieldProjection';
import { RedactionSession } from './redaction';

/**
 * Which of these full refs the caller may read, asked of the catalog as the
 * caller and within the agent's visibility: one batched read.
 */
export type ReadableLookup = (refs: string[]) => Promise<boolean[]>;

export interface CallerDataPolicyOptions {
  caller: Caller;
  policy: AgentDataPolicy;
  redaction: RedactionSession;
  /**
   * Whether Backstage's permission framework is on. When it is, the
   * catalog's policy may hide entities from users, so the names of
   * entities a user may not read are elided too.
   */
  permissionsEnabled: boolean;
  lookup: ReadableLookup;
}

/** What a full-text search may look in. */
export interface FullTextQuery {
  term: string;
  fields: string[];
}

/**
 * The agent's data policy bound to one call, for every downstream adapter
 * (catalog today; scaffolder, TechDocs and search next) alike:
 * - queries carry the agent's entity visibility, so hidden entities are not
 *   found, not counted and not listed;
 * - redacted fields cannot be filtered, sorted, counted or searched on,
 *   directly or through a relation;
 * - entities released to an operation have the names of entities the caller
 *   may not see (by the agent's rules or by the permission policy) elided,
 *   and redacted fields replaced.
 */
export class CallerDataPolicy {
  /** Which named refs this caller may read, learned during this call. */
  private readonly readable = new Map<string, boolean>();
  private readonly elide: (ref: string) => string;

  constructor(private readonly options: CallerDataPolicyOptions) {
    this.elide = elisionFor(options.caller.agent.id, options.caller.principal);
  }

  /** The agent's visibility as a catalog predicate, if it has one. */
  get visibility(): FilterPredicate | undefined {
    return this.options.policy.visibility?.predicate;
  }

  /**
   * Always a predicate, even an empty one: the catalog client then sends
   * the query as a JSON body, never as `filter=` query strings.
   */
  withVisibility(query: FilterPredicate | undefined): FilterPredicate {
    const visible = this.visibility;
    if (!visible) return query ?? { $all: [] };
    return query ? { $all: [query, visible] } : visible;
  }

  /** Refuses a query that filters, sorts or counts on a redacted field. */
  guardQuery(query: {
    predicate?: FilterPredicate;
    orderFields?: EntityOrderQuery;
    facets?: string[];
  }) {
    this.guardPredicate(query.predicate);
    for (const { field } of asList(query.orderFields)) {
      this.guardPath(field, 'sort by');
    }
    for (const facet of query.facets ?? []) this.guardPath(facet, 'count by');
  }

  /** Redacted fields are left out of full-text search, so a match cannot reveal them. */
  searchable(fullText: FullTextQuery | undefined): FullTextQuery | undefined {
    if (!fullText) return fullText;
    const fields = fullText.fields.filter(
      f => !this.options.redaction.rules.queryRule(f),
    );
    if (fields.length === 0) {
      throw new GatewayRefusal(
        'policy',
        'field-redacted',
        'Every field this search would look in is redacted for this agent.',
      );
    }
    return { ...fullText, fields };
  }

  /**
   * A search hit on a released entity that only a redacted value explains:
   * some word of the term is in a value redaction hid, and nowhere in what
   * the caller is shown. Showing the hit would confirm the guess.
   */
  matchesOnlyRedacted(term: string, shown: string): boolean {
    const visible = shown.toLowerCase();
    return term
      .toLowerCase()
      .split(/[\s\-]+/)
      .filter(word => word.length >= 2)
      .some(
        word => !visible.includes(word) && this.options.redaction.hides(word),
      );
  }

  /**
   * The fields to read for an operation that asks for `requested`: with
   * the redacted ones, so that redaction learns the values it must scrub
   * from the fields asked for (release leaves them out again).
   */
  fieldsToRead(requested: string[] | undefined): string[] | undefined {
    return fieldsToRead(requested, this.options.redaction.rules.roots);
  }

  /**
   * Entities on their way to an operation: hidden names elided, fields
   * redacted, and, read for `requested` fields, only those.
   */
  async release(entities: Entity[], requested?: string[]): Promise<Entity[]> {
    for (const entity of entities) this.learnReadable(entity);
    const isHidden = await this.hiddenAmong(entities);
    return entities.map(entity => {
      const redacted = this.options.redaction.redact(
        isHidden ? elideHidden(entity, isHidden, this.elide) : entity,
      );
      return requested ? projected(redacted, requested) : redacted;
    });
  }

  /** An entity this caller just read is one it may see. */
  private learnReadable(entity: Entity) {
    if (entity.kind && entity.metadata?.name) {
      this.readable.set(stringifyEntityRef(entity).toLowerCase(), true);
    }
  }

  /** What an entity the caller may not see is called in answers instead. */
  placeholderFor(ref: string): string {
    return this.elide(ref);
  }

  /**
   * Which of these full entity refs (lower-cased) the caller may not see,
   * by the agent's visibility or the permission policy: for operations
   * that take or return refs outside the catalog's own answers.
   */
  async hiddenRefs(refs: string[]): Promise<Set<string>> {
    const isHidden = await this.hiddenAmongRefs(refs);
    return new Set(isHidden ? refs.filter(isHidden) : []);
  }

  /** Which of the entities these entities name the caller may not see. */
  private async hiddenAmong(
    entities: Entity[],
  ): Promise<((ref: string) => boolean) | undefined> {
    return this.hiddenAmongRefs(entities.flatMap(refsNamedBy));
  }

  private async hiddenAmongRefs(
    refs: string[],
  ): Promise<((ref: string) => boolean) | undefined> {
    const { policy, caller, permissionsEnabled } = this.options;
    const visibility = policy.visibility;
    // Backstage asks a permission policy about users only.
    const lookup =
      visibility?.needsLookup ||
      (permissionsEnabled && caller.principalType === 'user');
    if (!visibility && !lookup) return undefined;
    const named = new Set(refs);
    const unknown = [...named].filter(
      ref => !this.readable.has(ref) && (visibility?.allowsRef(ref) ?? true),
    );
    if (lookup && unknown.length) {
      // One batched read for all of them, as this caller, never one per ref.
      const readable = await this.options.lookup(unknown);
      unknown.forEach((ref, i) => this.readable.set(ref, readable[i]));
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
        // Operations never build other operators; refuse what cannot be checked.
        throw new GatewayRefusal(
          'policy',
          'filter-not-supported',
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
    const rule = this.options.redaction.rules.queryRule(path);
    if (rule) {
      throw new GatewayRefusal(
        'policy',
        'field-redacted',
        `This agent may not ${verb} '${path}': the field is redacted (${rule}).`,
      );
    }
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
