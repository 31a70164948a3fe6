import { isJsonObject } from '../../core/isJsonObject';
import { JsonObject, JsonValue } from '@backstage/types';
import { validate, ValidationError } from 'jsonschema';
import { InputIssue, InvalidArguments } from '../../core/errors';
import { mergeParameterSchema } from './templateSchema';

/** What a task is started with, once the values passed every check. */
export interface PreparedValues {
  values: JsonObject;
  secrets: Record<string, string>;
}

/**
 * An agent's values for a template, made into what the scaffolder's form
 * would send, and checked as the scaffolder checks them, before any task
 * exists:
 * - each missing value that has a default gets it (the scaffolder applies
 *   none; its form does);
 * - a secret field's value comes from `secrets`, and `values` holds a mask
 *   of the same length, as the form sends it (a secret in `values` is
 *   refused, since values are stored with the task);
 * - the values are validated against every form step's schema, and the
 *   secrets against the template's secrets schema, with the same library
 *   the scaffolder uses.
 * Every problem is named in one InvalidArguments; a secret's value never
 * appears in one.
 */
export function prepareValues(request: {
  steps: ReadonlyArray<{ schema: JsonObject }>;
  secretsSchema?: JsonValue;
  values: JsonObject;
  secrets: Record<string, string>;
}): PreparedValues {
  const { schema, secretFields } = mergeParameterSchema(request.steps);
  const issues: InputIssue[] = [];
  const values: JsonObject = { ...request.values };
  const properties = (schema.properties ?? {}) as Record<string, JsonValue>;
  for (const [name, property] of Object.entries(properties)) {
    const fallback = isJsonObject(property) ? property.default : undefined;
    if (
      values[name] === undefined &&
      fallback !== undefined &&
      !secretFields.includes(name)
    ) {
      values[name] = fallback;
    }
  }
  for (const name of secretFields) {
    if (request.values[name] !== undefined) {
      issues.push({
        path: `values.${name}`,
        message: 'is a secret: send it in secrets, not in values',
      });
    }
    const secret = request.secrets[name];
    if (secret === undefined) {
      delete values[name];
    } else {
      values[name] = '*'.repeat(secret.length);
    }
  }
  for (const step of request.steps) {
    issues.push(...schemaIssues(values, step.schema, 'values'));
  }
  if (isJsonObject(request.secretsSchema)) {
    issues.push(
      ...schemaIssues(request.secrets, request.secretsSchema, 'secrets').map(
        issue => ({
          ...issue,
          message: withoutSecrets(issue.message, request.secrets),
        }),
      ),
    );
  }
  if (issues.length > 0) {
    throw new InvalidArguments(unique(issues));
  }
  return { values, secrets: request.secrets };
}

/** The ways an object fails a schema, each at a path under `root`. */
function schemaIssues(
  instance: JsonObject | Record<string, string>,
  schema: JsonObject,
  root: string,
): InputIssue[] {
  let errors: ValidationError[];
  try {
    errors = validate(instance, schema).errors;
  } catch {
    return [
      {
        path: root,
        message:
          "cannot be checked: the template's parameter schema is not valid JSON Schema",
      },
    ];
  }
  return errors.map(error => {
    const path = [root, ...error.path.map(String)];
    if (error.name === 'required') {
      return {
        path: [...path, String(error.argument)].join('.'),
        message: 'is required',
      };
    }
    return { path: path.join('.'), message: error.message };
  });
}

/** A secret's value, should a schema message ever quote it, is cut out. */
function withoutSecrets(message: string, secrets: Record<string, string>) {
  return Object.values(secrets)
    .filter(secret => secret.length > 0)
    .reduce((text, secret) => text.split(secret).join('[secret]'), message);
}

function unique(issues: InputIssue[]): InputIssue[] {
  const seen = new Set<string>();
  return issues.filter(issue => {
    const key = `${issue.path}\0${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
