import { ProtocolError, ProtocolErrorCode } from '@modelcontextprotocol/server';
import { oneLine } from './refusals';

/**
 * The MCP SDK checks a request's params against the method's schema before
 * any handler runs, and throws a plain Error whose message is zod's issues
 * as JSON. Such an error becomes Invalid Params naming each bad field, in
 * place of an internal error; any other error passes through.
 */
export function readableParamsError(method: string, error: unknown): unknown {
  if (!(error instanceof Error) || error.constructor !== Error) return error;
  const issues = zodIssuesIn(error.message);
  if (!issues) return error;
  const described = issues
    .slice(0, 10)
    .map(({ path, message }) => `${path.join('.') || 'params'}: ${message}`)
    .join('; ');
  return new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    `Invalid params for ${method}: ${oneLine(described, 500)}`,
  );
}

/** The error a listing that has no pages answers a cursor with. */
export function unpagedCursorError(method: string): ProtocolError {
  return new ProtocolError(
    ProtocolErrorCode.InvalidParams,
    `Invalid cursor: ${method} answers in one page, so no cursor comes from it; ask without one.`,
  );
}

interface Issue {
  path: Array<string | number>;
  message: string;
}

function zodIssuesIn(message: string): Issue[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return undefined;
  }
  if (!Array.isArray(parsed) || parsed.length === 0) return undefined;
  const issues = parsed.filter(
    (issue): issue is Issue =>
      typeof issue === 'object' &&
      issue !== null &&
      Array.isArray(issue.path) &&
      typeof issue.message === 'string',
  );
  return issues.length === parsed.length ? issues : undefined;
}
