import { z } from 'zod';
import { definePrompt, refArgument, userMessage } from './types';

export const onboardingPrompt = definePrompt({
  name: 'onboarding',
  title: 'Onboarding: explain a system',
  description:
    'Explains a system or domain to a new hire from the catalog and its docs: what it is for, its parts, who owns them and where to read more.',
  arguments: z.object({
    subject: refArgument(
      'The system or domain to explain, e.g. system:payments or domain:commerce',
    ),
    role: z
      .string()
      .trim()
      .max(100)
      .regex(/^[\p{L}\p{N} ,.'/-]*$/u, 'must be a short job title')
      .optional()
      .describe('The new hire\'s role, e.g. "backend engineer" (optional)'),
  }),
  uses: {
    tools: [
      'get_entity',
      'list_entities',
      'list_owners',
      'search_techdocs',
      'get_techdocs',
    ],
    resources: [],
  },
  render({ subject, role }) {
    return [
      userMessage(
        [
          `Explain \`${subject}\` to a new ${role ?? 'engineer'} joining the team, using Backstage.`,
          `1. \`get_entity\` with ref \`${subject}\`: what it is, its owner and description.`,
          `2. \`list_entities\` with system (for a system) or domain (for a domain) set to it: its components, APIs and resources; for a domain, its systems too.`,
          '3. `list_owners` on the subject: the teams involved and who to ask.',
          `4. \`search_techdocs\` with the subject's name as query, then \`get_techdocs\` on the overview and architecture pages of its main components.`,
          '',
          'Write a short guide: purpose, the main parts and how they fit together, who owns what, and the three docs pages to read first (with their entity ref and path).',
          'Use only what the tools returned; say what is missing.',
        ].join('\n'),
      ),
    ];
  },
});
