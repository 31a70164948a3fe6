import { DEFAULT_SEARCH_TYPES, SearchConfig } from '../config/gatewayConfig';
import { getEntityRelationsTool } from './catalog/getEntityRelations';
import { getEntityTool } from './catalog/getEntity';
import { listEntitiesTool } from './catalog/listEntities';
import { listOwnersTool } from './catalog/listOwners';
import { refreshEntityTool } from './catalog/refreshEntity';
import { registerLocationTool } from './catalog/registerLocation';
import { searchCatalogTool } from './catalog/searchCatalog';
import { GatewayToolSource } from './gatewayToolSource';
import { whoAmITool } from './meta/whoAmI';
import { cancelTaskTool } from './scaffolder/cancelTask';
import { getTaskTool } from './scaffolder/getTask';
import { getTemplateTool } from './scaffolder/getTemplate';
import { listTasksTool } from './scaffolder/listTasks';
import { listTemplatesTool } from './scaffolder/listTemplates';
import { runTemplateTool } from './scaffolder/runTemplate';
import { createSearchTool, searchTool } from './search/search';
import { getTechdocsTool } from './techdocs/getTechdocs';
import { searchTechdocsTool } from './techdocs/searchTechdocs';
import { GatewayTool } from './types';

/** Every tool the gateway serves. Adding a tool: one file, one line here. */
export const ALL_TOOLS: GatewayTool[] = [
  searchCatalogTool,
  getEntityTool,
  listEntitiesTool,
  getEntityRelationsTool,
  listOwnersTool,
  whoAmITool,
  refreshEntityTool,
  registerLocationTool,
  listTemplatesTool,
  getTemplateTool,
  runTemplateTool,
  getTaskTool,
  listTasksTool,
  cancelTaskTool,
  getTechdocsTool,
  searchTechdocsTool,
  searchTool,
];

/**
 * The gateway's own tools; the search tool's description names the
 * document types the adopter lists (mcpGateway.search.types).
 */
export function createGatewayToolSource(
  search: SearchConfig = { types: DEFAULT_SEARCH_TYPES },
): GatewayToolSource {
  return new GatewayToolSource(
    ALL_TOOLS.map(tool =>
      tool === searchTool ? createSearchTool(search.types) : tool,
    ),
  );
}
