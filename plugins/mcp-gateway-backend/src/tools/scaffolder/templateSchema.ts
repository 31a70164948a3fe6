import { isJsonObject } from '../../core/isJsonObject';
import { JsonObject, JsonValue } from '@backstage/types';

/** Keywords of a step schema that merge into the one schema's top level. */
const MERGED = new Set([
  'type',
  'title',
  'description',
  'properties',
  'required',
]);

/** The form's secret inputs: values that belong in `secrets`, not `values`. */
function isSecretField(schema: JsonValue | undefined): boolean {
  if (!isJsonObject(schema)) return false;
  return schema['ui:field'] === 'Secret' || schema['ui:widget'] === 'password';
}

/** The parameters of a template as one JSON Schema, and which fields are secret. */
export interface MergedParameters {
  schema: JsonObject;
  /** Top-level properties to send in `secrets` (their `values` entry is a mask). */
  secretFields: string[];
}

/**
 * The scaffolder's form steps as one JSON Schema for `values`: properties
 * and required fields of every step together, each step's conditional
 * parts (dependencies, if/then, allOf) kept under `allOf`, and the form's
 * `ui:*` hints dropped. Secret fields are marked `writeOnly`, with a
 * description that says where their value goes.
 */
export function mergeParameterSchema(
  steps: ReadonlyArray<{ schema: JsonObject }>,
): MergedParameters {
  const properties: JsonObject = {};
  const required = new Set<string>();
  const conditions: JsonObject[] = [];
  const secretFields: string[] = [];
  for (const { schema } of steps) {
    const stepProperties = isJsonObject(schema.properties)
      ? schema.properties
      : {};
    for (const [name, property] of Object.entries(stepProperties)) {
      if (property === undefined) continue;
      if (isSecretField(property)) {
        secretFields.push(name);
        properties[name] = {
          ...(withoutUiHints(property) as JsonObject),
          writeOnly: true,
          description: secretDescription(property),
        };
      } else {
        properties[name] = withoutUiHints(property);
      }
    }
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        if (typeof name === 'string') required.add(name);
      }
    }
    const rest = Object.fromEntries(
      Object.entries(schema).filter(
        ([key]) => !MERGED.has(key) && !key.startsWith('ui:'),
      ),
    );
    if (Object.keys(rest).length > 0) {
      conditions.push(withoutUiHints(rest) as JsonObject);
    }
  }
  return {
    schema: {
      type: 'object',
      properties,
      ...(required.size > 0 && { required: [...required] }),
      ...(conditions.length > 0 && { allOf: conditions }),
    },
    secretFields: [...new Set(secretFields)],
  };
}

/** Whether a template entity's `spec.parameters` has a secret field. */
export function hasSecretFields(parameters: JsonValue | undefined): boolean {
  const steps = Array.isArray(parameters) ? parameters : [parameters];
  return steps.some(
    step =>
      isJsonObject(step) &&
      isJsonObject(step.properties) &&
      Object.values(step.properties).some(isSecretField),
  );
}

function secretDescription(property: JsonValue): string {
  const own =
    isJsonObject(property) && typeof property.description === 'string'
      ? `${property.description} `
      : '';
  return `${own}Secret: send the value in secrets, never in values.`;
}

/** A copy without the form's `ui:*` keys, at every depth. */
function withoutUiHints(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutUiHints);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => !key.startsWith('ui:'))
      .map(([key, inner]) => [key, withoutUiHints(inner as JsonValue)]),
  );
}
