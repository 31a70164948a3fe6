import { stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { fullRef } from '../catalog/entityRefs';
import {
  cursorInput,
  encodeCursor,
  limitInput,
  pageFooter,
  pagingOutput,
} from '../paging';
import { defineTool } from '../types';
import { hasSecretFields } from './templateSchema';

const query = z.object({
  tag: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Only templates with this tag, e.g. recommended'),
  owner: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .optional()
    .describe('Only templates owned by this group or user (name or ref)'),
});

const templateItem = z.object({
  ref: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  type: z.string().optional(),
  tags: z.array(z.string()),
  owner: z.string().optional(),
  hasSecrets: z
    .boolean()
    .describe('Some parameters are secrets, sent apart from the values'),
});

export const listTemplatesTool = defineTool({
  name: 'list_templates',
  title: 'List templates this agent may run',
  description:
    'Lists the software templates (scaffolder) this agent is allowed to run: ref, title, description, tags, owner, and whether it asks for secrets. ' +
    'Use get_template for a template’s parameters before running it.',
  access: 'read',
  idempotent: true,
  input: query.extend({
    limit: limitInput,
    cursor: cursorInput('list_templates', query),
  }),
  output: z.object({ items: z.array(templateItem), ...pagingOutput }),
  async run({ templates }, { limit, cursor, ...args }) {
    const { query: q, offset } = cursor ?? { query: args, offset: 0 };
    const all = await templates.list({
      tag: q.tag,
      owner: q.owner && fullRef(q.owner, 'group'),
    });
    const page = all.slice(offset, offset + limit);
    const next = offset + page.length;
    return {
      items: page.map(entity => {
        const spec = (entity.spec ?? {}) as Record<string, any>;
        return {
          ref: stringifyEntityRef(entity),
          title: entity.metadata.title,
          description: entity.metadata.description,
          type: typeof spec.type === 'string' ? spec.type : undefined,
          tags: entity.metadata.tags ?? [],
          owner: typeof spec.owner === 'string' ? spec.owner : undefined,
          hasSecrets: hasSecretFields(spec.parameters),
        };
      }),
      totalItems: all.length,
      offset,
      nextCursor:
        next < all.length ? encodeCursor('list_templates', q, next) : undefined,
    };
  },
  render({ items, ...page }) {
    return [
      ...items.map(
        t =>
          `${t.ref}${t.title ? ` (${t.title})` : ''}${
            t.owner ? `, owner ${t.owner}` : ''
          }${t.tags.length ? `, tags ${t.tags.join(', ')}` : ''}${
            t.hasSecrets ? ', asks for secrets' : ''
          }${t.description ? `: ${t.description}` : ''}`,
      ),
      pageFooter(
        { ...page, count: items.length },
        'No template this agent may run matches.',
      ),
    ].join('\n');
  },
});
