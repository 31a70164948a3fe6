import {
  Entity,
  EntityLink,
  EntityRelation,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { z } from 'zod';
import { isPlaceholderRef } from '../../policy/elision';

/** One entity in a list: enough to recognise it and decide to look closer. */
export const entityItemSchema = z.object({
  ref: z.string().describe('Full entity ref: kind:namespace/name'),
  kind: z.string(),
  name: z.string(),
  namespace: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  type: z.string().optional(),
  lifecycle: z.string().optional(),
  owner: z.string().optional().describe('Full ref of the owner'),
  system: z.string().optional().describe('Full ref of the system'),
  tags: z.array(z.string()),
  fields: z
    .record(z.string(), z.unknown())
    .optional()
    .describe('The extra fields asked for, by dotted path'),
});
export type EntityItem = z.infer<typeof entityItemSchema>;

/** The fields an item needs; lists ask the catalog for only these. */
export const ITEM_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'metadata.title',
  'metadata.description',
  'metadata.tags',
  'spec.type',
  'spec.lifecycle',
  'spec.owner',
  'spec.system',
  'spec.profile.displayName',
  'relations',
];

const DESCRIPTION_LIMIT = 160;

export function toItem(entity: Entity, extraFields?: string[]): EntityItem {
  const namespace = entity.metadata.namespace ?? 'default';
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const profile = (spec.profile ?? {}) as Record<string, unknown>;
  const item: EntityItem = {
    ref: stringifyEntityRef(entity),
    kind: entity.kind,
    name: entity.metadata.name,
    namespace,
    title: entity.metadata.title ?? asString(profile.displayName),
    description: truncate(entity.metadata.description, DESCRIPTION_LIMIT),
    type: asString(spec.type),
    lifecycle: asString(spec.lifecycle),
    owner:
      relationTarget(entity, 'ownedBy') ??
      refOrUndefined(spec.owner, 'group', namespace),
    system:
      relationTarget(entity, 'partOf', 'system:') ??
      refOrUndefined(spec.system, 'system', namespace),
    tags: asStringArray(entity.metadata.tags),
  };
  if (extraFields?.length) {
    item.fields = pickFields(entity, extraFields);
  }
  return dropUndefined(item);
}

/** The compact summary `get_entity` returns by default. */
export const entitySummarySchema = entityItemSchema
  .omit({ fields: true })
  .extend({
    description: z.string().optional(),
    links: z.array(z.object({ url: z.string(), title: z.string().optional() })),
    relations: z
      .array(z.object({ type: z.string(), target: z.string() }))
      .describe('Every relation of the entity, as refs'),
  });
export type EntitySummary = z.infer<typeof entitySummarySchema>;

export function toSummary(entity: Entity): EntitySummary {
  const { fields: _none, ...item } = toItem(entity);
  return dropUndefined({
    ...item,
    description: entity.metadata.description,
    links: asArray<EntityLink | string>(entity.metadata.links).map(link =>
      typeof link === 'object'
        ? dropUndefined({ url: String(link.url), title: link.title })
        : { url: String(link) },
    ),
    relations: relationsOf(entity).map(r => ({
      type: String(r.type),
      target: String(r.targetRef),
    })),
  });
}

/** Values at dotted paths; a path may reach into keys that contain dots (annotations). */
export function pickFields(
  entity: Entity,
  paths: string[],
): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const path of paths) {
    const value = valueAt(entity, path);
    if (value !== undefined) {
      picked[path] = value;
    }
  }
  return picked;
}

function valueAt(root: unknown, path: string): unknown {
  if (path === '') return root;
  if (root === null || typeof root !== 'object') return undefined;
  const record = root as Record<string, unknown>;
  if (Object.hasOwn(record, path)) return record[path];
  // Try the longest key prefix first, so `metadata.annotations.github.com/project-slug` works.
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 1; i--) {
    const key = parts.slice(0, i).join('.');
    if (Object.hasOwn(record, key)) {
      return valueAt(record[key], parts.slice(i).join('.'));
    }
  }
  return undefined;
}

export function itemLine(item: EntityItem): string {
  const facts = [item.type, item.lifecycle].filter(Boolean).join(', ');
  const parts = [
    item.ref,
    item.title && item.title !== item.name ? `"${item.title}"` : undefined,
    facts ? `(${facts})` : undefined,
    item.owner ? `owner ${item.owner}` : undefined,
  ].filter(Boolean);
  const description = item.description ? ` - ${item.description}` : '';
  const fields =
    item.fields && Object.keys(item.fields).length
      ? `\n  ${Object.entries(item.fields)
          .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
          .join('\n  ')}`
      : '';
  return `- ${parts.join(' ')}${description}${fields}`;
}

/**
 * The target of a relation: the catalog's resolved ref, or a placeholder
 * (elided, redacted) when the caller may not know it. With a prefix (partOf
 * targets systems and domains alike), only refs of that kind: a placeholder
 * could stand for either, so the spec field answers instead.
 */
function relationTarget(entity: Entity, type: string, prefix?: string) {
  return relationsOf(entity).find(
    r => r?.type === type && (!prefix || r.targetRef.startsWith(prefix)),
  )?.targetRef;
}

/** Redaction may have turned any field into a marker string. */
/**
 * An entity's relations, or none when redaction replaced them (an agent
 * with `redact: ['relations']` sees the marker, not a list).
 */
export function relationsOf(entity: Entity): EntityRelation[] {
  const relations: unknown = entity.relations;
  return Array.isArray(relations) ? relations : [];
}

function asArray<T>(value: unknown): T[] {
  if (Array.isArray(value)) return value;
  return value === undefined || value === null ? [] : [value as T];
}

function asStringArray(value: unknown): string[] {
  return asArray(value).map(String);
}

function refOrUndefined(
  value: unknown,
  defaultKind: string,
  defaultNamespace: string,
) {
  if (typeof value !== 'string' || !value) return undefined;
  if (isPlaceholderRef(value)) return value;
  try {
    return stringifyEntityRef(
      parseEntityRef(value, { defaultKind, defaultNamespace }),
    );
  } catch {
    return value;
  }
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function truncate(text: string | undefined, limit: number) {
  if (!text) return undefined;
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

export function dropUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== undefined),
  ) as T;
}
