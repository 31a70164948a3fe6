/**
 * An MCP server name as the MCP registry's server.json defines it: a
 * reverse-DNS namespace, one slash, then the server's own name
 * (`com.example/backstage`). Portal reads it from the entity's definition.
 */
const SERVER_NAME = /^[a-zA-Z0-9.-]+\/[a-zA-Z0-9._-]+$/;
const MIN_LENGTH = 3;
const MAX_LENGTH = 200;

/** Why `value` is not a namespaced server name, or undefined if it is one. */
export function serverNameProblem(value: string): string | undefined {
  if (
    !SERVER_NAME.test(value) ||
    value.length < MIN_LENGTH ||
    value.length > MAX_LENGTH
  ) {
    return `must be a namespaced MCP server name, <reverse-DNS namespace>/<name> (letters, digits, '.', '-' before the slash, also '_' after it; ${MIN_LENGTH} to ${MAX_LENGTH} characters), e.g. com.example/backstage`;
  }
  return undefined;
}

/**
 * The default server name: the host the gateway is reached at, reversed
 * as a namespace (`backstage.example.com` -> `com.example.backstage`), then
 * the entity's name. An IP address is kept as it is (reversing it would
 * name nothing); `localhost` stays `localhost`.
 */
export function serverNameFor(mcpUrl: string, name: string): string {
  const { hostname } = new URL(mcpUrl);
  const host = hostname.replace(/^\[|\]$/g, '');
  const isAddress = /^[\d.]+$/.test(host) || host.includes(':');
  const namespace = isAddress
    ? host.replace(/[^a-zA-Z0-9.-]/g, '-')
    : host.split('.').filter(Boolean).reverse().join('.');
  return `${namespace}/${name}`;
}
