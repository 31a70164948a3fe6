/**
 * What the MCP gateway's backend and its admin page share: the
 * permissions, and the shapes of the admin API's answers.
 *
 * @packageDocumentation
 */
export * from './permissions';
export * from './adminApi';
