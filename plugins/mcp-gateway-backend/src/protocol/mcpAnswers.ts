import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { Answer } from '../corridor/corridor';
import { Failure } from '../corridor/failures';
import { ShapedResult } from '../corridor/shaping';

/**
 * The one place where the corridor's answers become MCP answers. A tool's
 * failure is a tool result with `isError`, which the model reads and can act
 * on; a request naming no tool, or one that could not be audited, is a
 * JSON-RPC error.
 */
export function toolCallAnswer(answer: Answer<ShapedResult>): ShapedResult {
  if (answer.ok) return answer.value;
  const { failure } = answer;
  if (failure.code === 'unknown-operation') {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, failure.message);
  }
  if (failure.stage === 'audit') throw internalError(failure);
  return { content: [{ type: 'text', text: failure.message }], isError: true };
}

/** A listing either lists or fails as a whole. */
export function listingAnswer<T>(answer: Answer<T>): T {
  if (answer.ok) return answer.value;
  throw internalError(answer.failure);
}

function internalError(failure: Failure) {
  return new ProtocolError(ProtocolErrorCode.InternalError, failure.message);
}
