import { Request } from 'express';

/**
 * The MCP method an audit record names, as far as it is known: from the
 * parsed body when there is one (a batch names its parts), else from the
 * `Mcp-Method` header (2026-07-28 clients send it), else the HTTP verb. The
 * body of an unidentified caller is never read, so identity refusals of
 * older clients name only the verb.
 */
export function auditedMethodOf(
  req: Request,
  body: unknown = req.body,
): string {
  if (Array.isArray(body)) {
    const methods = body.slice(0, 10).map(part => {
      const method = (part as { method?: unknown } | null)?.method;
      return typeof method === 'string' ? method : '?';
    });
    return `batch(${body.length}): ${methods.join(', ')}`.slice(0, 100);
  }
  const parsed = (body as { method?: unknown } | undefined)?.method;
  const header = req.headers['mcp-method'];
  const method = typeof parsed === 'string' ? parsed : header;
  return typeof method === 'string' && method
    ? method.slice(0, 100)
    : `HTTP ${req.method}`;
}
