import { z } from 'zod';
import { Caller } from '../core/caller';
import { OperationAccess, OperationTargets } from '../core/operation';
import { CallerServices } from '../downstream/callerServices';

/**
 * What a tool may use: the caller, and every downstream service already
 * bound to it (see CallerServices).
 */
export interface ToolContext extends CallerServices {
  caller: Caller;
  /** The tools this caller may call now, as tools/list would show them. */
  availableTools(): Promise<
    ReadonlyArray<{ name: string; title: string; access: OperationAccess }>
  >;
  signal: AbortSignal;
  /**
   * Tells the client how a long operation is going, if it asked to hear
   * (MCP progress notifications); otherwise does nothing. Never throws.
   */
  progress(update: ProgressUpdate): Promise<void>;
}

/** One MCP progress notification: `progress` grows with every update. */
export interface ProgressUpdate {
  progress: number;
  total?: number;
  message?: string;
}

/**
 * A tool is declarative: its schemas, its annotations and the domain work.
 * Identity, policy, limits, shaping and audit happen around it, in the
 * corridor; a tool never checks any of them itself.
 */
export interface GatewayTool<
  I extends z.ZodObject = z.ZodObject,
  O extends z.ZodObject = z.ZodObject,
> {
  /** snake_case, so that every MCP client accepts it. */
  name: string;
  title: string;
  /** What a model reads to decide whether and how to call the tool. */
  description: string;
  /** read; write; or destructive (may delete or overwrite). */
  access: OperationAccess;
  /** Calling twice with the same input has no further effect. */
  idempotent: boolean;
  input: I;
  output: O;
  /**
   * What in the validated input the corridor's allowlists decide on
   * (templates.allow, locations.allow), before the tool runs.
   */
  targets?(input: z.output<I>): OperationTargets;
  run(ctx: ToolContext, input: z.output<I>): Promise<z.input<O>>;
  /** The compact text most models read, made from the shaped output. */
  render(output: z.output<O>): string;
}

/** Keeps each tool's input and output types tied to its schemas. */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  tool: GatewayTool<I, O>,
): GatewayTool {
  return tool as unknown as GatewayTool;
}
