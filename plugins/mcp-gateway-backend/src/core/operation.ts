/** What an agent can ask for: MCP tools today; resources and prompts walk the same corridor. */
export type OperationKind = 'tool' | 'resource' | 'prompt';

/**
 * What an operation does to Backstage: reads it, changes it, or may delete
 * or overwrite something. A destructive operation is a write too.
 */
export type OperationAccess = 'read' | 'write' | 'destructive';

/** One thing an agent may list and call, whichever source provides it. */
export interface Operation {
  kind: OperationKind;
  /** The name MCP clients use (a tool name, a resource URI, a prompt name). */
  name: string;
  access: OperationAccess;
  /** Which source provides it: `gateway` for the gateway's own tools. */
  source: string;
}

/**
 * What in a call's input the agent's allowlists decide on, in the form the
 * operation will use it: a template it runs, a location it registers.
 */
export interface OperationTargets {
  /** A full template entity ref, e.g. `template:default/new-service`. */
  template?: string;
  /** A location URL, exactly as it will be registered. */
  location?: string;
}

/** Does this operation change anything? Writes need `readOnly: false`. */
export const changesState = (access: OperationAccess) => access !== 'read';

/** The source of the gateway's own tools. */
export const GATEWAY_SOURCE = 'gateway';
