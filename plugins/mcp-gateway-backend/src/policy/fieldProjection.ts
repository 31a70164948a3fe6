/**
 * Catalog field projections under redaction. An operation that asks the
 * catalog for a few fields (a listing's descriptions) must still have the
 * redacted fields read: redaction remembers what it hides, and only so can
 * a copy of a hidden value in a visible field be scrubbed. They are read,
 * then left out again, so the operation gets the fields it asked for.
 */

/**
 * The catalog fields, at most two deep (annotation and label keys hold
 * dots the catalog cannot address), that hold every value these redact
 * patterns can match; undefined when a pattern can match at the top level.
 */
export function redactedRoots(patterns: string[]): string[] | undefined {
  const roots = new Set<string>();
  for (const pattern of patterns) {
    const wildcard = pattern.indexOf('*');
    const segments = (wildcard < 0 ? pattern : pattern.slice(0, wildcard))
      .split('.')
      // A segment a wildcard cuts short is no field name.
      .slice(0, wildcard < 0 ? undefined : -1)
      .slice(0, 2);
    if (segments.length === 0 || segments.some(s => s === '')) {
      return undefined;
    }
    roots.add(segments.join('.'));
  }
  return [...roots];
}

/**
 * What to ask the catalog for when an operation asks for `requested`: those
 * fields and the redacted roots they leave out; everything when there is no
 * projection, or when a redacted root cannot be named.
 */
export function fieldsToRead(
  requested: string[] | undefined,
  roots: string[] | undefined,
): string[] | undefined {
  if (!requested || !roots) return undefined;
  const missing = roots.filter(
    root => !requested.some(f => root === f || root.startsWith(`${f}.`)),
  );
  return missing.length ? [...requested, ...missing] : requested;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object';

const hasOwn = (object: object, key: string) =>
  Object.prototype.hasOwnProperty.call(object, key);

/** Sets a key as data, even `__proto__`. */
function define(target: object, key: string, value: unknown) {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** The entity with only these fields (dotted paths), as the catalog projects. */
export function projected<T extends object>(entity: T, fields: string[]): T {
  const result: Record<string, unknown> = {};
  // A field inside another one asked for comes with it.
  const outermost = fields.filter(
    field => !fields.some(other => field.startsWith(`${other}.`)),
  );
  for (const field of outermost) {
    const path = field.split('.');
    let source: unknown = entity;
    for (const key of path) {
      source =
        isObject(source) && hasOwn(source, key) ? source[key] : undefined;
    }
    if (source === undefined) continue;
    let target = result;
    for (const key of path.slice(0, -1)) {
      if (!hasOwn(target, key)) define(target, key, {});
      target = target[key] as Record<string, unknown>;
    }
    define(target, path[path.length - 1], source);
  }
  return result as T;
}
