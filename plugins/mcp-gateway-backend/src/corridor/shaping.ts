import { RedactionSession } from '../policy/redaction';
import { GatewayTool } from '../tools/types';

export interface ShapedResult {
  [key: string]: unknown;
  content: Array<{ type: 'text'; text: string }>;
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/**
 * The shaping stage: the tool's output checked against its declared output
 * schema (clients validate `structuredContent` against it), scrubbed of every
 * value redaction hid during the call, and the compact text rendered from
 * exactly that structure, so the two never disagree and neither leaks.
 */
export function shapeResult(
  tool: GatewayTool,
  output: unknown,
  redaction: RedactionSession,
): ShapedResult {
  const structured = redaction.scrub(
    tool.output.parse(output) as Record<string, unknown>,
  );
  return {
    content: [{ type: 'text', text: redaction.scrub(tool.render(structured)) }],
    structuredContent: structured,
  };
}
