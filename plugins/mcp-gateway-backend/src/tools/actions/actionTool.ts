import { ActionsServiceAction } from '@backstage/backend-plugin-api/alpha';
import { JsonObject } from '@backstage/types';
import { Schema, validate } from 'jsonschema';
import { InputIssue, InvalidArguments } from '../../core/errors';
import { isJsonObject } from '../../core/isJsonObject';
import { OperationAccess } from '../../core/operation';
import { SourcedTool } from '../source';

/** Where an action's access comes from: its registry attributes. */
export function accessOf(action: ActionsServiceAction): OperationAccess {
  if (action.attributes.readOnly) return 'read';
  return action.attributes.destructive ? 'destructive' : 'write';
}

/**
 * Another plugin's action as a tool the corridor runs like its own: the
 * action's JSON Schema for the listing and for checking arguments before
 * anything is invoked, its attributes for the annotations and for the read
 * or write grant, and the invocation itself through the caller's bound
 * services (on the caller's behalf, its output shaped by the data policy).
 * No output schema is listed: the registry checks outputs, and redaction
 * may change their shape, which clients would then refuse.
 */
export function actionTool(
  action: ActionsServiceAction,
  name: string,
  inputSchema: JsonObject,
): SourcedTool {
  const access = accessOf(action);
  const title = action.title || action.name;
  return {
    operation: { kind: 'tool', name, access, source: action.pluginId },
    listing: {
      name,
      title,
      description: action.description,
      inputSchema: { ...inputSchema, type: 'object' },
      annotations: {
        title,
        readOnlyHint: access === 'read',
        destructiveHint: access === 'destructive',
        idempotentHint: action.attributes.idempotent,
        openWorldHint: false,
      },
    },
    parseInput: args => checkedInput(inputSchema, args ?? {}),
    targetsOf: () => ({}),
    run: (ctx, input) => ctx.actions.invoke(action.id, input as JsonObject),
    checkOutput: output => output as Record<string, unknown>,
    render: output => JSON.stringify(output, null, 1),
  };
}

/**
 * The action's input schema as tools/list shows it, or why it cannot be
 * served: MCP requires an object schema at the root.
 */
export function listedInputSchema(
  action: ActionsServiceAction,
): { schema: JsonObject } | { problem: string } {
  const raw = action.schema?.input as JsonObject | undefined;
  if (!isJsonObject(raw)) {
    return { problem: 'it has no input schema' };
  }
  // Without `$schema`: clients that compile with another draft refuse it.
  const { $schema: _draft, ...schema } = raw;
  if (schema.type !== undefined && schema.type !== 'object') {
    return { problem: 'its input schema does not describe an object' };
  }
  if (!isWellFormed(schema)) {
    return { problem: 'its input schema is not valid JSON Schema' };
  }
  return { schema };
}

/** The arguments, if they match the schema; otherwise every issue at once. */
function checkedInput(schema: JsonObject, args: unknown): JsonObject {
  if (!isJsonObject(args)) {
    throw new InvalidArguments([{ path: '', message: 'must be an object' }]);
  }
  const issues: InputIssue[] = validate(args, schema as Schema).errors.map(
    error => {
      const path = error.path.map(String);
      return error.name === 'required'
        ? {
            path: [...path, String(error.argument)].join('.'),
            message: 'is required',
          }
        : { path: path.join('.'), message: error.message };
    },
  );
  if (issues.length) throw new InvalidArguments(issues);
  return args;
}

/** What MCP clients read of an object schema has the right shape, and it compiles. */
function isWellFormed(schema: JsonObject): boolean {
  const { properties, required } = schema;
  if (properties !== undefined) {
    if (!isJsonObject(properties)) return false;
    const values = Object.values(properties as JsonObject);
    if (!values.every(v => isJsonObject(v) || typeof v === 'boolean')) {
      return false;
    }
  }
  if (
    required !== undefined &&
    !(Array.isArray(required) && required.every(r => typeof r === 'string'))
  ) {
    return false;
  }
  try {
    validate({}, schema as Schema);
    return true;
  } catch {
    return false;
  }
}
