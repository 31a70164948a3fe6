/**
 * Backstage's own actions that do what one of the gateway's tools does.
 * The gateway's tool wins and the action is never served: the action would
 * walk around what the tool enforces on top of Backstage's permissions
 * (the agent's entity visibility and redaction, the template and location
 * allowlists, the SSRF guard, task ownership).
 */
export const SUPERSEDED_ACTIONS: ReadonlyMap<string, string> = new Map([
  ['catalog:get-catalog-entity', 'get_entity'],
  ['catalog:query-catalog-entities', 'search_catalog'],
  ['catalog:refresh-catalog-entity', 'refresh_entity'],
  ['catalog:register-entity', 'register_location'],
  ['scaffolder:execute-template', 'run_template'],
  ['scaffolder:dry-run-template', 'run_template'],
  ['scaffolder:list-scaffolder-tasks', 'list_tasks'],
  ['scaffolder:get-scaffolder-task-logs', 'get_task'],
  ['auth:who-am-i', 'who_am_i'],
]);
