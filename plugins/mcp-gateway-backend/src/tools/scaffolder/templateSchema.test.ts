import { hasSecretFields, mergeParameterSchema } from './templateSchema';

const serviceSteps = [
  {
    title: 'Service details',
    schema: {
      type: 'object',
      title: 'Service details',
      required: ['name', 'owner'],
      properties: {
        name: {
          type: 'string',
          pattern: '^[a-z][a-z0-9-]{1,48}[a-z0-9]$',
          'ui:autofocus': true,
        },
        owner: {
          type: 'string',
          'ui:field': 'OwnerPicker',
          'ui:options': { catalogFilter: { kind: 'Group' } },
        },
      },
    },
  },
  {
    title: 'Runtime',
    schema: {
      required: ['deployToken'],
      properties: {
        language: {
          type: 'string',
          enum: ['go', 'java'],
          default: 'go',
        },
        deployToken: {
          type: 'string',
          description: 'Token the deploy step uses.',
          'ui:field': 'Secret',
        },
        password: { type: 'string', 'ui:widget': 'password' },
      },
      dependencies: {
        language: {
          oneOf: [
            {
              properties: {
                language: { const: 'java' },
                jdk: { type: 'string', 'ui:help': 'Which JDK' },
              },
            },
          ],
        },
      },
      'ui:order': ['language', '*'],
    },
  },
];

describe('mergeParameterSchema', () => {
  it('merges every step into one schema: properties, required fields, enums and defaults', () => {
    const { schema } = mergeParameterSchema(serviceSteps);
    expect(schema).toMatchObject({
      type: 'object',
      required: ['name', 'owner', 'deployToken'],
      properties: {
        name: { type: 'string', pattern: '^[a-z][a-z0-9-]{1,48}[a-z0-9]$' },
        owner: { type: 'string' },
        language: { type: 'string', enum: ['go', 'java'], default: 'go' },
      },
    });
  });

  it('drops the form hints at every depth, and keeps conditional parts', () => {
    const { schema } = mergeParameterSchema(serviceSteps);
    expect(JSON.stringify(schema)).not.toContain('ui:');
    expect(schema.allOf).toEqual([
      {
        dependencies: {
          language: {
            oneOf: [
              {
                properties: {
                  language: { const: 'java' },
                  jdk: { type: 'string' },
                },
              },
            ],
          },
        },
      },
    ]);
  });

  it('flags secret fields, as write-only and saying where their value goes', () => {
    const { schema, secretFields } = mergeParameterSchema(serviceSteps);
    expect(secretFields).toEqual(['deployToken', 'password']);
    expect((schema.properties as any).deployToken).toEqual({
      type: 'string',
      writeOnly: true,
      description:
        'Token the deploy step uses. Secret: send the value in secrets, never in values.',
    });
    expect((schema.properties as any).name.writeOnly).toBeUndefined();
  });

  it('gives an empty object schema for a template without parameters', () => {
    expect(mergeParameterSchema([])).toEqual({
      schema: { type: 'object', properties: {} },
      secretFields: [],
    });
  });
});

describe('hasSecretFields', () => {
  it.each([
    [serviceSteps.map(step => step.schema), true],
    [serviceSteps[0].schema, false],
    [undefined, false],
    [[{ properties: { token: { 'ui:widget': 'password' } } }], true],
    ['not a schema', false],
  ])('%#: %j', (parameters, expected) => {
    expect(hasSecretFields(parameters as any)).toBe(expected);
  });
});
