import { z } from 'zod';
import { definePrompt, refArgument, userMessage } from './types';

export const incidentResponsePrompt = definePrompt({
  name: 'incident_response',
  title: 'Incident response',
  description:
    'Everything on-call needs about a service in trouble: its owner and contacts, its runbook, and what it depends on and what depends on it.',
  arguments: z.object({
    service: refArgument(
      'The affected service: a name (payments-api), kind:name or full ref',
    ),
    symptom: z
      .string()
      .trim()
      .max(500)
      .regex(/^[^\r\n]*$/, 'must be one line')
      .optional()
      .describe('What is going wrong, in a few words (optional)'),
  }),
  uses: {
    tools: [
      'get_entity',
      'list_owners',
      'search_techdocs',
      'get_techdocs',
      'get_entity_relations',
    ],
    resources: [],
  },
  render({ service, symptom }) {
    return [
      userMessage(
        [
          `We have an incident affecting \`${service}\`${symptom ? `. Symptom, as reported: "${symptom}"` : ''}.`,
          'Using the Backstage tools, gather what on-call needs, in this order:',
          `1. \`get_entity\` with ref \`${service}\`: its full ref, owner, system, lifecycle and links (dashboards, runbooks).`,
          `2. \`list_owners\` with ref \`${service}\`: the owning team, its members and how to reach them.`,
          `3. \`search_techdocs\` with query "runbook" (and then the symptom's key words) and ref \`${service}\`, then \`get_techdocs\` on the best page (pass the ref and the result's path; continue with nextOffset if the page is long). If the service has no docs, say so.`,
          `4. \`get_entity_relations\` with ref \`${service}\`, direction "both", relation types ["dependsOn"] and depth 2: what it depends on (outgoing) and what depends on it (incoming).`,
          '',
          'Answer with: who owns it and how to reach them; the runbook steps that match the symptom, quoted with their page path; the upstream dependencies that could cause it and the downstream services it affects.',
          'Only state what the tools returned; say plainly what could not be found or was not visible to you.',
        ].join('\n'),
      ),
    ];
  },
});
