import { parseEntityRef } from '@backstage/catalog-model';

const ENTITY_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * The one spelling of a template ref that the allowlist is matched against
 * and the scaffolder is asked for: `template:<namespace>/<name>`, lower
 * case. A short name means the default namespace. Undefined for anything
 * that is not a template ref.
 */
export function canonicalTemplateRef(ref: string): string | undefined {
  try {
    const { kind, namespace, name } = parseEntityRef(ref, {
      defaultKind: 'template',
      defaultNamespace: 'default',
    });
    if (kind.toLowerCase() !== 'template') return undefined;
    // Backstage's entity name and namespace characters, nothing else.
    if (![namespace, name].every(part => ENTITY_NAME.test(part))) {
      return undefined;
    }
    return `template:${namespace}/${name}`.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The URL as the catalog will read it (WHATWG serialisation: scheme and
 * host in lower case, default port dropped, dot segments resolved): what
 * `locations.allow` is matched against and what is registered.
 */
export function canonicalLocationUrl(url: string): string | undefined {
  try {
    return new URL(url).href;
  } catch {
    return undefined;
  }
}
