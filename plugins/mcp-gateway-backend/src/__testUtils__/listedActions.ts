import { ActionsServiceAction } from '@backstage/backend-plugin-api/alpha';

/** An action as the actions service lists it (zod-to-json-schema's output). */
export function listedAction(
  overrides: Partial<ActionsServiceAction> = {},
): ActionsServiceAction {
  return {
    id: 'demo:greet',
    pluginId: 'demo',
    name: 'greet',
    title: 'Greet',
    description: 'Says hello to an entity owner',
    schema: {
      input: {
        $schema: 'http://json-schema.org/draft-07/schema#',
        type: 'object',
        properties: {
          who: { type: 'string', maxLength: 20 },
          times: { type: 'integer', minimum: 1 },
        },
        required: ['who'],
        additionalProperties: false,
      },
      output: { type: 'object' },
    },
    attributes: { readOnly: true, destructive: false, idempotent: true },
    ...overrides,
  };
}
