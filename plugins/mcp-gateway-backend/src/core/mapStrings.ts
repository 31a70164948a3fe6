/** A copy of a JSON-like value with `change` applied to every string in it. */
export function mapStrings<T>(value: T, change: (text: string) => string): T {
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return change(v);
    if (Array.isArray(v)) return v.map(visit);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v).map(([k, x]) => [k, visit(x)]),
      );
    }
    return v;
  };
  return visit(value) as T;
}
