import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';

/** A search document as the search backend returns it: fields vary by type. */
export interface SearchDocument {
  title?: unknown;
  text?: unknown;
  location?: unknown;
  [field: string]: unknown;
}

/** The document types of Backstage's own catalog and TechDocs collators. */
export const CATALOG_TYPE = 'software-catalog';
export const TECHDOCS_TYPE = 'techdocs';

/**
 * The entity a document belongs to, as a lower-case full ref: from the
 * permission framework's resource ref the collators attach, else from the
 * fields the catalog and TechDocs collators write. A catalog or TechDocs
 * document whose entity cannot be told yields '' (a ref no entity has), so
 * it is dropped rather than shown unchecked; other types belong to none.
 */
export function entityRefOfDocument(
  type: string,
  document: SearchDocument,
): string | undefined {
  const authorization = document.authorization as
    { resourceRef?: unknown } | undefined;
  const fromAuthorization = refOrUndefined(authorization?.resourceRef);
  if (fromAuthorization) return fromAuthorization;
  if (type === TECHDOCS_TYPE) {
    const { kind, namespace, name } = document;
    return (
      refOrUndefined(
        typeof kind === 'string' && typeof name === 'string'
          ? `${kind}:${typeof namespace === 'string' ? namespace : 'default'}/${name}`
          : undefined,
      ) ?? ''
    );
  }
  if (type === CATALOG_TYPE) {
    // The catalog collator's default location: /catalog/:namespace/:kind/:name
    const match = /^\/catalog\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(
      String(document.location ?? ''),
    );
    return (
      refOrUndefined(
        match &&
          `${decodeURIComponent(match[2])}:${decodeURIComponent(match[1])}/${decodeURIComponent(match[3])}`,
      ) ?? ''
    );
  }
  return undefined;
}

function refOrUndefined(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  try {
    return stringifyEntityRef(parseEntityRef(value)).toLowerCase();
  } catch {
    return undefined;
  }
}
