/** A tool call's answer, as a test reads it. */
export interface ToolAnswer {
  isError: boolean;
  /** Every text block, joined by newlines. */
  text: string;
  /** structuredContent. */
  data: any;
}

/** Every text block of an MCP `tools/call` result, joined by newlines. */
export function textOf(result: any): string {
  return result.content.map((c: { text: string }) => c.text).join('\n');
}

/** An MCP `tools/call` result, as a test reads it. */
export function answerOf(result: any): ToolAnswer {
  return {
    isError: result.isError === true,
    text: textOf(result),
    data: result.structuredContent,
  };
}
