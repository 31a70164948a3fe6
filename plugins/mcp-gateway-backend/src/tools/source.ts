import { Caller } from '../core/caller';
import { Operation, OperationTargets } from '../core/operation';
import { ToolContext } from './types';

/** A tool as MCP's tools/list describes it. */
export interface ListedTool {
  [key: string]: unknown;
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  outputSchema?: { type: 'object'; [key: string]: unknown };
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

/**
 * A tool as the corridor runs it, whatever its source: the gateway's own
 * (zod schemas) or, later, another plugin's action (JSON Schema). The
 * corridor validates through the source, never through a schema library.
 */
export interface SourcedTool {
  operation: Operation;
  listing: ListedTool;
  /** The validated input, or an InvalidArguments naming every issue. */
  parseInput(args: unknown): unknown;
  /** What in the validated input the allowlists decide on. */
  targetsOf(input: unknown): OperationTargets;
  run(ctx: ToolContext, input: unknown): Promise<unknown>;
  /** The output checked against the tool's declared output schema. */
  checkOutput(output: unknown): Record<string, unknown>;
  /** The compact text a model reads, made from the checked output. */
  render(output: Record<string, unknown>): string;
}

/**
 * Where tools come from. A source may offer different tools to different
 * callers, and its tools may change after start-up, so the corridor asks it
 * on every listing and call; the corridor's gates then decide.
 */
export interface ToolSource {
  readonly id: string;
  toolsFor(caller: Caller): Promise<SourcedTool[]>;
  /** One tool by name, if this source offers it to this caller. */
  toolFor(caller: Caller, name: string): Promise<SourcedTool | undefined>;
  /**
   * The operation of that name whoever asks, if the source can say without
   * a caller: for permission policies that load a resource by its ref.
   */
  operationNamed(name: string): Promise<Operation | undefined>;
}
