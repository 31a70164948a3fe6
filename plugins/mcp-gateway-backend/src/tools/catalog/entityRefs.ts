import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { distance } from 'fastest-levenshtein';
import { CallerCatalog } from '../../catalog/callerCatalog';

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

  const filter: Record<string, string> = { 'metadata.name': ref.name };
  if (ref.kind) filter.kind = ref.kind;
  if (ref.namespace) filter['metadata.namespace'] = ref.namespace;
  const { items } = await catalog.query({ filter, limit: 20 });
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

const SUGGESTION_SCAN_LIMIT = 20000;

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

/** Only on the not-found path: scans names (no bodies) for near misses. */
async function closestRefs(
  catalog: CallerCatalog,
  ref: LooseRef,
): Promise<string[]> {
  const wanted = ref.name.toLowerCase();
  const scored: Array<{ ref: string; score: number }> = [];
  let scanned = 0;
  for await (const page of catalog.stream({
    filter: ref.kind ? { kind: ref.kind } : undefined,
    fields: ['kind', 'metadata.name', 'metadata.namespace'],
  })) {
    for (const entity of page) {
      const name = entity.metadata.name.toLowerCase();
      const score = similarity(wanted, name);
      if (score > 0) {
        scored.push({ ref: stringifyEntityRef(entity), score });
      }
    }
    scanned += page.length;
    if (scanned >= SUGGESTION_SCAN_LIMIT) break;
  }
  return scored
    .sort((a, b) => b.score - a.score || a.ref.localeCompare(b.ref))
    .slice(0, 5)
    .map(s => s.ref);
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
