import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What the MCP SDK's callbacks need to know about the HTTP request they run
 * for: they are shared by every request, and are handed no request.
 */
export interface RequestScope {
  /** The agent calling; its list-change listeners are its own. */
  agentId: string;
  /** Why the MCP SDK turned the request away, when it did. */
  sdkRefusal?: string;
}

const storage = new AsyncLocalStorage<RequestScope>();

/** Runs the MCP SDK's handling of one request in its scope. */
export function inRequestScope<T>(
  scope: RequestScope,
  run: () => Promise<T>,
): Promise<T> {
  return storage.run(scope, run);
}

/** The scope of the request the current code runs for, if any. */
export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}
