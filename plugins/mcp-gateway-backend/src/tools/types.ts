import { z } from 'zod';
import { Caller } from '../identity/caller';
import { CallerCatalog } from '../catalog/callerCatalog';

/** What a tool may use: everything is already bound to the caller. */
export interface ToolContext {
  caller: Caller;
  /** The catalog, called on behalf of the caller. */
  catalog: CallerCatalog;
  /** The tools this caller may call (for introspection; costs a permission check). */
  availableTools(): Promise<
    ReadonlyArray<{ name: string; title: string; access: ToolAccess }>
  >;
  signal: AbortSignal;
}

export type ToolAccess = 'read' | 'write';

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
  access: ToolAccess;
  /** Calling twice with the same input has no further effect. */
  idempotent: boolean;
  /** For write tools: may it delete or overwrite? Assumed so unless false. */
  destructive?: boolean;
  input: I;
  output: O;
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
