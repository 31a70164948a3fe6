import { z } from 'zod';
import { defineTool } from '../types';
import { resolveEntity } from './entityRefs';
import { entitySummarySchema, pickFields, toSummary } from './entitySummary';

export const entityRefInput = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .describe(
    'The entity: a name (payments-api), kind:name (component:payments-api) or full ref (component:default/payments-api).',
  );

export const getEntityTool = defineTool({
  name: 'get_entity',
  title: 'Get a catalog entity',
  description:
    'Reads one catalog entity. By default returns a compact summary: kind, name, title, description, type, lifecycle, owner, system, tags, links and relations. ' +
    'Ask for detail "full" for the whole entity, or list fields (dotted paths such as metadata.annotations or spec.profile.email) for just those. ' +
    'An unknown or ambiguous name returns the closest matches.',
  access: 'read',
  idempotent: true,
  input: z.object({
    ref: entityRefInput,
    detail: z
      .enum(['summary', 'full'])
      .default('summary')
      .describe(
        'summary (default) or full: the whole entity as stored in the catalog.',
      ),
    fields: z
      .array(
        z
          .string()
          .regex(/^[A-Za-z0-9_./-]+$/, 'must be a dotted path')
          .max(200),
      )
      .max(30)
      .optional()
      .describe(
        'Specific fields to add to the summary, e.g. ["metadata.annotations", "spec.definition"].',
      ),
  }),
  output: z.object({
    entity: entitySummarySchema,
    fields: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The requested fields, by path'),
    full: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('The whole entity, when detail is full'),
  }),
  async run({ catalog }, { ref, detail, fields }) {
    const entity = await resolveEntity(catalog, ref);
    return {
      entity: toSummary(entity),
      fields: fields?.length ? pickFields(entity, fields) : undefined,
      full:
        detail === 'full'
          ? (entity as unknown as Record<string, unknown>)
          : undefined,
    };
  },
  render({ entity, fields, full }) {
    const lines = [
      `${entity.ref}${entity.title ? ` "${entity.title}"` : ''}`,
      entity.description,
      fact('type', entity.type),
      fact('lifecycle', entity.lifecycle),
      fact('owner', entity.owner),
      fact('system', entity.system),
      fact('tags', entity.tags.join(', ')),
      ...entity.links.map(l => `link: ${l.title ? `${l.title} ` : ''}${l.url}`),
      // owner and system are already said above.
      ...groupRelations(
        entity.relations.filter(
          r =>
            !(r.type === 'ownedBy' && r.target === entity.owner) &&
            !(r.type === 'partOf' && r.target === entity.system),
        ),
      ),
    ];
    if (fields) {
      lines.push(
        ...Object.entries(fields).map(([k, v]) => `${k}: ${JSON.stringify(v)}`),
      );
    }
    if (full) {
      lines.push(`full entity: ${JSON.stringify(full)}`);
    }
    return lines.filter(Boolean).join('\n');
  },
});

function fact(label: string, value: string | undefined) {
  return value ? `${label}: ${value}` : undefined;
}

function groupRelations(relations: Array<{ type: string; target: string }>) {
  const byType = new Map<string, string[]>();
  for (const { type, target } of relations) {
    byType.set(type, [...(byType.get(type) ?? []), target]);
  }
  return [...byType].map(([type, targets]) => `${type}: ${targets.join(', ')}`);
}
