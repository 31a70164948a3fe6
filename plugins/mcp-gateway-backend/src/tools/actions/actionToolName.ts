/** Every MCP client tested accepts these; Claude's API allows at most 64. */
const MAX_TOOL_NAME = 64;

/** `getCatalogEntity`, `get-catalog-entity` and `get.catalog entity` alike become `get_catalog_entity`. */
function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toLowerCase();
}

/**
 * The tool name of another plugin's action: `action_<plugin>_<name>` in
 * snake_case, so that every MCP client accepts it and agents' tool patterns
 * (e.g. `action_catalog_*`) can tell actions from the gateway's own tools.
 * A name that would be empty or too long is a problem, not a name.
 */
export function actionToolName(
  pluginId: string,
  actionName: string,
): { name: string } | { problem: string } {
  const plugin = snakeCase(pluginId);
  const action = snakeCase(actionName);
  if (!plugin || !action) {
    return { problem: 'its plugin id or name has no letter or digit' };
  }
  const name = `action_${plugin}_${action}`;
  if (name.length > MAX_TOOL_NAME) {
    return {
      problem: `its tool name '${name}' is longer than ${MAX_TOOL_NAME} characters, which some MCP clients refuse`,
    };
  }
  return { name };
}
