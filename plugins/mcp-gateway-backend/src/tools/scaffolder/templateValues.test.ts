import { InvalidArguments } from '../../core/errors';
import { prepareValues } from './templateValues';

const steps = [
  {
    schema: {
      required: ['name', 'owner'],
      properties: {
        name: { type: 'string', pattern: '^[a-z-]+$' },
        owner: { type: 'string' },
        language: { type: 'string', enum: ['go', 'java'], default: 'go' },
      },
    },
  },
  {
    schema: {
      required: ['deployToken'],
      properties: {
        port: { type: 'integer', minimum: 1024, default: 8080 },
        deployToken: { type: 'string', 'ui:field': 'Secret', minLength: 8 },
      },
    },
  },
];
const secretsSchema = { type: 'object', required: ['deployToken'] };
const TOKEN = 'tok-1234567890';

function issuesOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidArguments) return error.issues;
    throw error;
  }
  throw new Error('no InvalidArguments thrown');
}

describe('prepareValues', () => {
  it('fills defaults, and masks a secret in values as the form does', () => {
    expect(
      prepareValues({
        steps,
        secretsSchema,
        values: { name: 'billing', owner: 'team-a', port: 9000 },
        secrets: { deployToken: TOKEN },
      }),
    ).toEqual({
      values: {
        name: 'billing',
        owner: 'team-a',
        language: 'go',
        port: 9000,
        deployToken: '*'.repeat(TOKEN.length),
      },
      secrets: { deployToken: TOKEN },
    });
  });

  it('names every bad field at once, a secret sent in values among them', () => {
    expect(
      issuesOf(() =>
        prepareValues({
          steps,
          secretsSchema,
          values: {
            name: 'Billing',
            language: 'cobol',
            port: 80,
            deployToken: TOKEN,
          },
          secrets: {},
        }),
      ),
    ).toEqual([
      {
        path: 'values.deployToken',
        message: 'is a secret: send it in secrets, not in values',
      },
      // Step by step, as the scaffolder validates them.
      { path: 'values.owner', message: 'is required' },
      { path: 'values.name', message: 'does not match pattern "^[a-z-]+$"' },
      {
        path: 'values.language',
        message: 'is not one of enum values: go,java',
      },
      { path: 'values.deployToken', message: 'is required' },
      { path: 'values.port', message: 'must be greater than or equal to 1024' },
      { path: 'secrets.deployToken', message: 'is required' },
    ]);
  });

  it('checks the mask against the schema (a short secret fails minLength), never quoting it', () => {
    const issues = issuesOf(() =>
      prepareValues({
        steps,
        values: { name: 'billing', owner: 'team-a' },
        secrets: { deployToken: 'short' },
      }),
    );
    expect(issues).toEqual([
      {
        path: 'values.deployToken',
        message: 'does not meet minimum length of 8',
      },
    ]);
    expect(JSON.stringify(issues)).not.toContain('short');
  });

  it('cuts a secret out of a secrets-schema message that would quote it', () => {
    const issues = issuesOf(() =>
      prepareValues({
        steps: [],
        secretsSchema: {
          properties: { key: { not: { const: 'hunter2-secret' } } },
        },
        values: {},
        secrets: { key: 'hunter2-secret' },
      }),
    );
    expect(issues).toHaveLength(1);
    expect(issues[0].path).toBe('secrets.key');
    expect(JSON.stringify(issues)).not.toContain('hunter2-secret');
  });

  it('says a schema it cannot compile cannot be checked, instead of failing', () => {
    expect(
      issuesOf(() =>
        prepareValues({
          steps: [{ schema: { properties: { a: { $ref: '#/nowhere' } } } }],
          values: { a: 1 },
          secrets: {},
        }),
      ),
    ).toEqual([
      {
        path: 'values',
        message:
          "cannot be checked: the template's parameter schema is not valid JSON Schema",
      },
    ]);
  });
});
