import { Entity } from '@backstage/catalog-model';

/** `kind:namespace/name`, as Backstage writes a full entity ref. */
const FULL_REF =
  /^([A-Za-z][A-Za-z0-9-]{0,62}):([A-Za-z0-9._-]{1,63})\/([A-Za-z0-9._-]{1,253})$/;
/** `kind:name`, for the kinds of Backstage's own model only: a whole string like `mailto:x` is not a ref. */
const SHORT_REF =
  /^(component|api|system|domain|resource|group|user|template|location):([A-Za-z0-9._-]{1,253})$/i;

/**
 * The entity a whole string names, as a lower-cased full ref, if it is an
 * entity ref: what an action's input or output may point at.
 */
export function entityRefIn(text: string): string | undefined {
  const full = FULL_REF.exec(text);
  if (full) return text.toLowerCase();
  const short = SHORT_REF.exec(text);
  return short ? `${short[1]}:default/${short[2]}`.toLowerCase() : undefined;
}

/** A catalog entity, by its shape: what an action's output may carry. */
export function isEntity(value: unknown): value is Entity {
  if (typeof value !== 'object' || value === null) return false;
  const { apiVersion, kind, metadata } = value as Partial<Entity>;
  return (
    typeof apiVersion === 'string' &&
    typeof kind === 'string' &&
    typeof metadata === 'object' &&
    metadata !== null &&
    typeof metadata.name === 'string'
  );
}
