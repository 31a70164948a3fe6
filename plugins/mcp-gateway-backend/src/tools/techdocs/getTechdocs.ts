import { stringifyEntityRef } from '@backstage/catalog-model';
import { z } from 'zod';
import { NavEntry } from '../../downstream/techdocs/callerTechDocs';
import { resolveEntity } from '../catalog/entityRefs';
import { entityRefInput } from '../catalog/getEntity';
import { defineTool } from '../types';
import { chunkOf, PAGE_CHUNK_CHARS } from './pageChunks';

const pageSchema = z.object({
  title: z.string(),
  path: z
    .string()
    .optional()
    .describe('Pass to get_techdocs as path; absent for a section heading'),
  level: z.number().int().describe('Nesting depth in the navigation, from 0'),
});

export const getTechdocsTool = defineTool({
  name: 'get_techdocs',
  title: 'Read TechDocs',
  description:
    "Reads an entity's TechDocs. Without path: the site's title, description and page list. " +
    'With path (from the page list, a search_techdocs result or a link on a page): that page as Markdown with headings, code blocks and tables; ' +
    `links to other pages of the site are paths you can pass back. Pages longer than ${PAGE_CHUNK_CHARS} characters come in parts: call again with nextOffset as offset.`,
  access: 'read',
  idempotent: true,
  input: z.object({
    ref: entityRefInput,
    path: z
      .string()
      .max(1024)
      .optional()
      .describe(
        'A page of the site, e.g. "" (home), "runbook/" or "runbook/#failover"; relative to the site, never a URL',
      ),
    offset: z
      .number()
      .int()
      .min(0)
      .max(100_000_000)
      .optional()
      .describe(
        'Where to continue a long page: the nextOffset of the previous part. Without it, the page is read from the top, or from the heading a #anchor in the path names',
      ),
  }),
  output: z.object({
    ref: z.string(),
    title: z.string(),
    description: z.string().optional(),
    pages: z
      .array(pageSchema)
      .optional()
      .describe('Without path: every page of the site, in navigation order'),
    path: z.string().optional().describe('With path: the page read'),
    markdown: z
      .string()
      .optional()
      .describe('With path: the page, or this part of it'),
    offset: z.number().int().optional(),
    nextOffset: z
      .number()
      .int()
      .optional()
      .describe('Where the rest of the page starts; absent at its end'),
    totalChars: z.number().int().optional().describe("The page's whole length"),
  }),
  async run({ catalog, techdocs }, { ref, path, offset }) {
    const entity = await resolveEntity(catalog, ref);
    const fullRef = stringifyEntityRef(entity);
    if (path === undefined) {
      const site = await techdocs.site(fullRef);
      return { ...site, pages: flatten(site.pages) };
    }
    const page = await techdocs.page(fullRef, path);
    const chunk = chunkOf(page.markdown, offset ?? page.anchorOffset ?? 0);
    return {
      ref: fullRef,
      title: page.title,
      path: page.path,
      markdown: chunk.text,
      offset: chunk.offset,
      nextOffset: chunk.nextOffset,
      totalChars: chunk.totalChars,
    };
  },
  render(output) {
    if (output.markdown === undefined) {
      return [
        `# ${output.title} (${output.ref})`,
        ...(output.description ? [output.description] : []),
        '',
        'Pages (pass the quoted path to get_techdocs):',
        ...(output.pages ?? []).map(
          page =>
            `${'  '.repeat(page.level)}- ${page.title}${
              page.path !== undefined ? ` "${page.path}"` : ''
            }`,
        ),
      ].join('\n');
    }
    return `${output.markdown}${partNote(output)}`;
  },
});

/** Where a part sits in its page, when it is not the whole page. */
function partNote({
  offset = 0,
  nextOffset,
  totalChars,
}: {
  offset?: number;
  nextOffset?: number;
  totalChars?: number;
}): string {
  if (nextOffset !== undefined) {
    return `\n\n[Characters ${offset}-${nextOffset} of ${totalChars}. Call again with offset ${nextOffset} for the rest.]`;
  }
  if (offset > 0) {
    return `\n\n[Characters ${offset}-${totalChars} of ${totalChars}: the end of the page. Offset 0 reads it from the top.]`;
  }
  return '';
}

function flatten(entries: NavEntry[], level = 0): z.input<typeof pageSchema>[] {
  return entries.flatMap(entry => [
    {
      title: entry.title,
      ...(entry.path !== undefined && { path: entry.path }),
      level,
    },
    ...flatten(entry.children ?? [], level + 1),
  ]);
}
