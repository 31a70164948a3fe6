import { parseEntityRef } from '@backstage/catalog-model';
import { FilterPredicate } from '@backstage/filter-predicates';
import { AgentConfig } from '../config/gatewayConfig';

/**
 * What an agent may see at all (`entities` in its policy), as a predicate
 * the catalog applies inside every query, so totals and paging stay true.
 */
export class EntityVisibility {
  readonly predicate: FilterPredicate;
  /** Tag rules need the entity itself, not just its ref. */
  readonly needsLookup: boolean;
  private readonly kinds?: Set<string>;
  private readonly namespaces?: Set<string>;
  private readonly excludedKinds: Set<string>;
  private readonly excludedNamespaces: Set<string>;

  /** Undefined when the agent may see every entity the caller may see. */
  static of(agent: AgentConfig): EntityVisibility | undefined {
    const { kinds, namespaces, exclude } = agent.entities;
    const hasRules =
      kinds !== undefined ||
      namespaces !== undefined ||
      exclude.kinds.length + exclude.namespaces.length + exclude.tags.length >
        0;
    return hasRules ? new EntityVisibility(agent) : undefined;
  }

  private constructor(agent: AgentConfig) {
    const { kinds, namespaces, exclude } = agent.entities;
    const lower = (values: string[]) =>
      new Set(values.map(v => v.toLowerCase()));
    this.kinds = kinds && lower(kinds);
    this.namespaces = namespaces && lower(namespaces);
    this.excludedKinds = lower(exclude.kinds);
    this.excludedNamespaces = lower(exclude.namespaces);
    this.needsLookup = exclude.tags.length > 0;

    const all: FilterPredicate[] = [];
    if (kinds) all.push({ kind: { $in: kinds } });
    if (namespaces) all.push({ 'metadata.namespace': { $in: namespaces } });
    if (exclude.kinds.length)
      all.push({ $not: { kind: { $in: exclude.kinds } } });
    if (exclude.namespaces.length) {
      all.push({ $not: { 'metadata.namespace': { $in: exclude.namespaces } } });
    }
    if (exclude.tags.length) {
      all.push({ $not: { 'metadata.tags': { $in: exclude.tags } } });
    }
    this.predicate = { $all: all };
  }

  /** What a ref alone tells: its kind and namespace are visible. */
  allowsRef(ref: string): boolean {
    let kind: string;
    let namespace: string;
    try {
      ({ kind, namespace } = parseEntityRef(ref));
    } catch {
      return false;
    }
    kind = kind.toLowerCase();
    namespace = namespace.toLowerCase();
    return (
      (!this.kinds || this.kinds.has(kind)) &&
      (!this.namespaces || this.namespaces.has(namespace)) &&
      !this.excludedKinds.has(kind) &&
      !this.excludedNamespaces.has(namespace)
    );
  }
}
