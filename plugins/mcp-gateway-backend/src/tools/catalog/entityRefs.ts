import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { FilterPredicate } from '@backstage/filter-predicates';
import { distance } from 'fastest-levenshtein';
import { CallerCatalog } from '../../downstream/callerCatalog';

export interface LooseRef {
  kind?: string;
  namespace?: string;
  name: string;
}

const LOOSE_REF =
  /^(?:([A-Za-z0-9][\w.-]*):)?(?:([A-Za-z0-9][\w.-]*)\/)?([A-Za-z0-9][\w.-]*)$/;

/** `payments-api`, `component:payments-api`, `finance/ledger-db` or a full ref. */
export function parseLooseRef(input: string): LooseRef {
  const match = LOOSE_REF.exec(input.trim());
  if (!match) {
    throw new InputError(
      `'${input}' is not an entity reference. Use a name (payments-api), kind:name (component:payments-api) or kind:namespace/name (component:default/payments-api).`,
    );
  }
  const [, kind, namespace, name] = match;
  return { kind, namespace, name };
}

/** Normalises a ref that names a default kind when it has none, e.g. an owner. */
export function fullRef(input: string, defaultKind: string): string {
  const ref = parseLooseRef(input);
  return stringifyEntityRef({
    kind: ref.kind ?? defaultKind,
    namespace: ref.namespace ?? 'default',
    name: ref.name,
  }).toLowerCase();
}

/**
 * Finds the one entity a loose ref means. A bare name may match several
 * kinds; an entity in the default namespace wins over other namespaces, as
 * in Backstage's own ref parsing. Otherwise the caller gets the candidates,
 * or the closest names when nothing matches.
 */
export async function resolveEntity(
  catalog: CallerCatalog,
  input: string,
): Promise<Entity> {
  const ref = parseLooseRef(input);
  if (ref.kind && ref.namespace) {
    const entity = await catalog.getByRef(
      stringifyEntityRef({
        kind: ref.kind,
        namespace: ref.namespace,
        name: ref.name,
      }),
    );
    if (entity) {
      return entity;
    }
    throw await notFound(catalog, input, ref);
  }

  const query: FilterPredicate = {
    'metadata.name': ref.name,
    ...(ref.kind && { kind: ref.kind }),
    ...(ref.namespace && { 'metadata.namespace': ref.namespace }),
  };
  const { items } = await catalog.query({ query, limit: 20 });
  const candidates =
    items.length > 1 && !ref.namespace ? preferDefaultNamespace(items) : items;
  if (candidates.length === 1) {
    return candidates[0];
  }
  if (candidates.length > 1) {
    const refs = candidates.map(e => stringifyEntityRef(e)).sort();
    throw new InputError(
      `'${input}' is ambiguous: it matches ${refs.join(', ')}. Call again with one of these full refs.`,
    );
  }
  throw await notFound(catalog, input, ref);
}

function preferDefaultNamespace(items: Entity[]): Entity[] {
  const inDefault = items.filter(
    e => (e.metadata.namespace ?? 'default') === 'default',
  );
  return inDefault.length > 0 ? inDefault : items;
}

/** Candidates read per search term when suggesting names. */
const SUGGESTION_CANDIDATES = 50;
/** At most this many searches per not-found answer. */
const SUGGESTION_TERMS = 3;

async function notFound(
  catalog: CallerCatalog,
  input: string,
  ref: LooseRef,
): Promise<NotFoundError> {
  const suggestions = await closestRefs(catalog, ref);
  const hint = suggestions.length
    ? ` Closest matches: ${suggestions.join(', ')}.`
    : ' Try search_catalog to find it.';
  return new NotFoundError(`No entity matches '${input}'.${hint}`);
}

/**
 * Only on the not-found path, and bounded whatever the catalog's size: a few
 * name searches (the name's start, and its longest parts) of a few dozen
 * names each, ranked by closeness. A typo keeps at least one of them.
 */
async function closestRefs(
  catalog: CallerCatalog,
  ref: LooseRef,
): Promise<string[]> {
  const wanted = ref.name.toLowerCase();
  const terms = [
    ...new Set([
      wanted.slice(0, 3),
      ...wanted
        .split(/[-_.]/)
        .filter(part => part.length >= 3)
        .sort((a, b) => b.length - a.length),
    ]),
  ]
    .filter(term => term.length >= 2)
    .slice(0, SUGGESTION_TERMS);
  const pages = await Promise.all(
    terms.map(term =>
      catalog
        .query({
          query: ref.kind ? { kind: ref.kind } : undefined,
          fullTextFilter: { term, fields: ['metadata.name'] },
          orderFields: { field: 'metadata.name', order: 'asc' },
          fields: ['kind', 'metadata.name', 'metadata.namespace'],
          limit: SUGGESTION_CANDIDATES,
        })
        // Suggestions are a courtesy: a refused search just gives none.
        .catch(() => ({ items: [] as Entity[] })),
    ),
  );
  const scored = new Map<string, number>();
  for (const entity of pages.flatMap(page => page.items)) {
    const score = similarity(wanted, entity.metadata.name.toLowerCase());
    if (score > 0) scored.set(stringifyEntityRef(entity), score);
  }
  return [...scored]
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .slice(0, 5)
    .map(([candidate]) => candidate);
}

/** 0 for unrelated names; higher for closer ones. */
function similarity(wanted: string, name: string): number {
  if (name.includes(wanted) || wanted.includes(name)) {
    return (
      2 -
      Math.abs(name.length - wanted.length) /
        Math.max(name.length, wanted.length)
    );
  }
  const edits = distance(wanted, name);
  const allowed = Math.max(2, Math.floor(wanted.length / 3));
  if (edits <= allowed) {
    return 1 - edits / (allowed + 1);
  }
  const shared = wanted
    .split(/[-_.]/)
    .filter(part => part.length > 2 && name.includes(part));
  return shared.length ? 0.1 * shared.length : 0;
}
