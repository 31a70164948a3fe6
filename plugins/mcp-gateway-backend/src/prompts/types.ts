import { z } from 'zod';

/** One message of a rendered prompt. */
export interface PromptMessage {
  role: 'user' | 'assistant';
  content: { type: 'text'; text: string };
}

/** Prompt arguments are strings in MCP; each is checked by its schema. */
export type PromptArguments = z.ZodObject<
  Record<string, z.ZodType<string | undefined>>
>;

/**
 * A prompt: a typed, reusable way to ask for a whole task, naming the tools
 * and resources it relies on. It is listed only to agents that may use
 * every one of them, so it never leads a model to a tool it cannot call.
 */
export interface GatewayPrompt<A extends PromptArguments = PromptArguments> {
  /** snake_case, as MCP clients show it. */
  name: string;
  title: string;
  description: string;
  arguments: A;
  uses: { tools: string[]; resources: string[] };
  render(args: z.output<A>): PromptMessage[];
}

export function definePrompt<A extends PromptArguments>(
  prompt: GatewayPrompt<A>,
): GatewayPrompt {
  return prompt as unknown as GatewayPrompt;
}

/**
 * An entity reference argument: only what a ref may hold, so no argument
 * can carry instructions of its own into the rendered prompt.
 */
export const refArgument = (description: string) =>
  z
    .string()
    .trim()
    .max(300)
    .regex(
      /^(?:[A-Za-z0-9][\w.-]*:)?(?:[A-Za-z0-9][\w.-]*\/)?[A-Za-z0-9][\w.-]*$/,
      'must be an entity reference: a name, kind:name or kind:namespace/name',
    )
    .describe(description);

export const userMessage = (text: string): PromptMessage => ({
  role: 'user',
  content: { type: 'text', text },
});
