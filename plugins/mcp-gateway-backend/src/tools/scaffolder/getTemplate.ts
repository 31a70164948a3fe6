import { z } from 'zod';
import { canonicalTemplateRef } from '../../policy/operationTargets';
import { defineTool } from '../types';
import { mergeParameterSchema } from './templateSchema';

/** A template ref as callers write it; the one spelling the scaffolder is asked for. */
export const templateRefInput = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .transform((ref, ctx) => {
    const canonical = canonicalTemplateRef(ref);
    if (canonical === undefined) {
      ctx.addIssue({
        code: 'custom',
        message:
          'must be a template ref: a name (new-service) or template:<namespace>/<name>',
      });
      return z.NEVER;
    }
    return canonical;
  })
  .describe(
    'The template: a name (new-service) or full ref (template:default/new-service), as list_templates shows it.',
  );

export const getTemplateTool = defineTool({
  name: 'get_template',
  title: 'Get a template’s parameters',
  description:
    'Reads one template this agent may run: its title, and its parameters as a single JSON Schema (required fields, types, enums, defaults, descriptions). ' +
    'Fields listed in secretFields go in secrets, never in values.',
  access: 'read',
  idempotent: true,
  input: z.object({ templateRef: templateRefInput }),
  output: z.object({
    ref: z.string(),
    title: z.string(),
    description: z.string().optional(),
    parameters: z
      .record(z.string(), z.unknown())
      .describe('JSON Schema of the values run_template takes'),
    secretFields: z.array(z.string()),
  }),
  targets: ({ templateRef }) => ({ template: templateRef }),
  async run({ templates }, { templateRef }) {
    const schema = await templates.parameterSchema(templateRef);
    const { schema: parameters, secretFields } = mergeParameterSchema(
      schema.steps,
    );
    return {
      ref: templateRef,
      title: schema.title,
      description: schema.description,
      parameters,
      secretFields,
    };
  },
  render({ ref, title, parameters, secretFields }) {
    const properties = (parameters.properties ?? {}) as Record<string, any>;
    const required = new Set((parameters.required as string[]) ?? []);
    const lines = Object.entries(properties).map(([name, p]) => {
      const facts = [
        p.type,
        required.has(name) ? 'required' : 'optional',
        Array.isArray(p.enum) ? `one of ${p.enum.join(', ')}` : undefined,
        p.default !== undefined
          ? `default ${JSON.stringify(p.default)}`
          : undefined,
        secretFields.includes(name) ? 'secret: send in secrets' : undefined,
      ].filter(Boolean);
      return `- ${name} (${facts.join('; ')})${
        p.description ? `: ${p.description}` : ''
      }`;
    });
    return [`${ref}: ${title}`, 'Parameters:', ...lines].join('\n');
  },
});
