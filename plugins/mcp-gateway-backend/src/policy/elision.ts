import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { JsonValue } from '@backstage/types';
import { createHmac, randomBytes } from 'node:crypto';
import { REDACTED } from './redaction';
import { REFERENCE_FIELDS, ReferenceField } from './referenceFields';

// Per process: an elided ref is stable while the process runs, and cannot be
// confirmed by guessing the hidden entity's ref.
const elisionKey = randomBytes(32);

/**
 * The placeholder for an entity this caller may not see, for one agent and
 * principal: the same hidden entity gets a different id for every other
 * agent or user, so ids compared across them tell nothing.
 */
export function elisionFor(
  agentId: string,
  principal: string,
): (ref: string) => string {
  const key = createHmac('sha256', elisionKey)
    .update(`${agentId}\0${principal}`)
    .digest();
  return ref =>
    `elided:${createHmac('sha256', key)
      .update(ref.toLowerCase())
      .digest('hex')
      .slice(0, 12)}`;
}

export const isElidedRef = (ref: string) => ref.startsWith('elided:');

/** An elided or redacted ref: it names nothing the caller may read. */
export function isPlaceholderRef(ref: string): boolean {
  return ref === REDACTED || isElidedRef(ref);
}

/** Entities an entity names: relation targets and `spec` references. */
export function refsNamedBy(entity: Entity): string[] {
  const refs = (entity.relations ?? []).map(r => r.targetRef.toLowerCase());
  for (const field of REFERENCE_FIELDS) {
    for (const value of valuesAt(entity, field)) {
      const ref = resolve(value, field, entity);
      if (ref) refs.push(ref);
    }
  }
  return refs;
}

/**
 * The entity with every name of an entity the caller may not see replaced
 * by that entity's elided id, in relations and in `spec` reference fields
 * alike: the same id in both places, so lining one up with the other
 * decodes nothing. Other relations keep only `type` and `targetRef`.
 */
export function elideHidden(
  entity: Entity,
  isHidden: (ref: string) => boolean,
  elide: (ref: string) => string,
): Entity {
  const relations = entity.relations?.map(({ type, targetRef }) => ({
    type,
    targetRef: isHidden(targetRef.toLowerCase()) ? elide(targetRef) : targetRef,
  }));
  const spec = entity.spec && { ...entity.spec };
  for (const field of REFERENCE_FIELDS) {
    const key = field.path.slice('spec.'.length);
    const value = spec?.[key];
    const elideOne = (raw: JsonValue): JsonValue => {
      const ref = typeof raw === 'string' && resolve(raw, field, entity);
      return ref && isHidden(ref) ? elide(ref) : raw;
    };
    if (typeof value === 'string') {
      spec![key] = elideOne(value);
    } else if (Array.isArray(value)) {
      spec![key] = value.map(elideOne);
    }
  }
  return {
    ...entity,
    ...(spec && { spec }),
    ...(relations && { relations }),
  };
}

function valuesAt(entity: Entity, field: ReferenceField): string[] {
  const value = entity.spec?.[field.path.slice('spec.'.length)];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v): v is string => typeof v === 'string');
}

/** The full ref a spec value means, read the way the catalog reads it. */
function resolve(
  value: string,
  field: ReferenceField,
  entity: Entity,
): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(value, {
        defaultKind: field.defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLowerCase();
  } catch {
    // The catalog cannot read it either, so no relation names it.
    return undefined;
  }
}
