import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { Answer, Exchange } from '../corridor/corridor';
import { Failure } from '../corridor/failures';
import { ShapedResult } from '../corridor/shaping';

/**
 * The one place where the corridor's answers become MCP answers. A tool's
 * failure is a tool result with `isError`, which the model reads and can act
 * on; a request naming no tool, or one that could not be audited, is a
 * JSON-RPC error.
 */
export function toolCallAnswer(
  answer: Answer<ShapedResult>,
  exchange: Pick<Exchange, 'protocolVersion'>,
): ShapedResult {
  if (answer.ok) return answer.value;
  const { failure } = answer;
  if (failure.code === 'unknown-operation') {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, failure.message);
  }
  if (failure.stage === 'audit') throw internalError(failure);
  const { retryAfterSeconds } = failure;
  return {
    content: [{ type: 'text', text: failure.message }],
    isError: true,
    ...(retryAfterSeconds !== undefined &&
      mayCarryErrorStructure(exchange.protocolVersion) && {
        structuredContent: {
          error: {
            code: failure.code,
            message: failure.message,
            retryAfter: retryAfterSeconds,
          },
        },
      }),
    ...(retryAfterSeconds !== undefined && {
      _meta: { 'mcp-gateway/retryAfter': retryAfterSeconds },
    }),
  };
}

/**
 * Whether an error result may carry structured content that is not the
 * tool's output. Clients of the 2025 versions (the v1 TypeScript SDK among
 * them) validate any structuredContent against the tool's output schema,
 * error or not, and would turn the refusal into a validation error; they
 * get the retry time in the text and in `_meta`.
 */
function mayCarryErrorStructure(protocolVersion: string | undefined) {
  return protocolVersion !== undefined && protocolVersion >= '2026-07-28';
}

/**
 * A resource read, a resource listing or a prompt: MCP has no error result
 * for these, so a failure is a JSON-RPC error whose message the client
 * shows, and whose data names the reason code (and when to retry). A miss
 * is Invalid Params, as the 2026-07-28 revision requires of resources/read
 * (whose error data should name the URI: pass it in `about`).
 */
export function operationAnswer<T>(
  answer: Answer<T>,
  /** What the error's data also names, e.g. the URI a read asked for. */
  about: Record<string, unknown> = {},
): T {
  if (answer.ok) return answer.value;
  const { failure } = answer;
  if (failure.stage === 'audit' || failure.unexpected) {
    throw internalError(failure);
  }
  throw new ProtocolError(ProtocolErrorCode.InvalidParams, failure.message, {
    ...about,
    code: failure.code,
    ...(failure.retryAfterSeconds !== undefined && {
      retryAfter: failure.retryAfterSeconds,
    }),
  });
}

/**
 * A listing, or any other method that is no operation, either answers or
 * fails as a whole (a JSON-RPC internal error).
 */
export function listingAnswer<T>(answer: Answer<T>): T {
  if (answer.ok) return answer.value;
  throw internalError(answer.failure);
}

function internalError(failure: Failure) {
  return new ProtocolError(ProtocolErrorCode.InternalError, failure.message);
}
