import { RedactionSession } from '../policy/redaction';
import { SourcedTool } from '../tools/source';

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
  tool: SourcedTool,
  output: unknown,
  redaction: RedactionSession,
): ShapedResult {
  const structured = redaction.scrub(tool.checkOutput(output));
  return {
    content: [{ type: 'text', text: redaction.scrub(tool.render(structured)) }],
    structuredContent: structured,
  };
}
