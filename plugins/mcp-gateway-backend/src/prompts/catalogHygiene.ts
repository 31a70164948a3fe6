import { z } from 'zod';
import { definePrompt, refArgument, userMessage } from './types';

export const catalogHygienePrompt = definePrompt({
  name: 'catalog_hygiene',
  title: 'Catalog hygiene report',
  description:
    'Finds catalog entities that miss an owner, tags, a lifecycle or TechDocs, as a table to fix.',
  arguments: z.object({
    kind: z
      .string()
      .trim()
      .regex(/^[A-Za-z][A-Za-z0-9-]{0,62}$/, 'must be an entity kind')
      .optional()
      .describe('Only entities of this kind (default Component)'),
    owner: refArgument(
      'Only entities this group owns, e.g. group:default/commerce (optional)',
    ).optional(),
  }),
  uses: { tools: ['list_entities'], resources: [] },
  render({ kind = 'Component', owner }) {
    return [
      userMessage(
        [
          `Audit the catalog's ${kind} entities${owner ? ` owned by \`${owner}\`` : ''} for missing metadata.`,
          `Call \`list_entities\` with kind "${kind}"${owner ? ` and owner "${owner}"` : ''}, limit 100 and fields ["spec.owner", "spec.lifecycle", "metadata.tags", "metadata.annotations"], and follow nextCursor until there is none.`,
          'For each entity, note what is missing: no owner (spec.owner), no lifecycle, no tags, no docs (no backstage.io/techdocs-ref annotation).',
          '',
          'Answer with a Markdown table (entity ref | missing), worst first, then the counts per problem and the total checked. List only entities that miss something.',
        ].join('\n'),
      ),
    ];
  },
});
