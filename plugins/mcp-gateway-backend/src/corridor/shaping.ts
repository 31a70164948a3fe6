import { GatewayTool } from '../tools/types';

export interface ShapedResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/**
 * The shaping stage: the tool's output checked against its declared output
 * schema (clients validate `structuredContent` against it), then the compact
 * text rendered from exactly that structure, so the two never disagree.
 */
export function shapeResult(tool: GatewayTool, output: unknown): ShapedResult {
  const structured = tool.output.parse(output) as Record<string, unknown>;
  return {
    content: [{ type: 'text', text: tool.render(structured) }],
    structuredContent: structured,
  };
}
