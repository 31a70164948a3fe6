import { auditedMethodOf } from '../audit/auditedMethod';
import { INVALID_REQUEST, requestIdOf, TransportRefusal } from './refusals';
import { Request } from 'express';

/**
 * How deeply a request body may nest objects and arrays (the body itself is
 * level 1). MCP messages need a handful of levels; deeper bodies only make
 * the recursive code behind the transport (schema validation, logging)
 * overflow the stack.
 */
export const MAX_NESTING = 64;

/**
 * Whether a parsed JSON value nests objects and arrays deeper than `limit`.
 * Iterative, so a body of 500,000 levels cannot overflow the stack here.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > limit) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (const child of children) {
      if (child !== null && typeof child === 'object') {
        stack.push([child, depth + 1]);
      }
    }
  }
  return false;
}

export function nestingRefusalFor(
  req: Request,
  body: unknown,
): TransportRefusal | undefined {
  if (!nestsDeeperThan(body, MAX_NESTING)) return undefined;
  return {
    status: 400,
    code: INVALID_REQUEST,
    outcome: 'invalid',
    reasonCode: 'too-deeply-nested',
    id: requestIdOf(body),
    method: auditedMethodOf(req, body),
    message: `Invalid request: the body is nested more than ${MAX_NESTING} levels deep (objects and arrays within each other).`,
  };
}
