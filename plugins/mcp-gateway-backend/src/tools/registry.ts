import { LoggerService } from '@backstage/backend-plugin-api';
import { z } from 'zod';
import { AgentConfig } from '../config/gatewayConfig';
import { decideTool, toolPattern } from '../policy/toolPolicy';
import { parseToolResourceRef, ToolResource } from '../policy/toolResource';
import { getEntityRelationsTool } from './catalog/getEntityRelations';
import { getEntityTool } from './catalog/getEntity';
import { listEntitiesTool } from './catalog/listEntities';
import { listOwnersTool } from './catalog/listOwners';
import { refreshEntityTool } from './catalog/refreshEntity';
import { searchCatalogTool } from './catalog/searchCatalog';
import { whoAmITool } from './meta/whoAmI';
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
];

/** A tool as MCP's tools/list describes it. */
export interface ListedTool {
  [key: string]: unknown;
  name: string;
  title: string;
  description: string;
  inputSchema: { type: 'object'; [key: string]: unknown };
  outputSchema: { type: 'object'; [key: string]: unknown };
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

/**
 * The tools, their MCP listings and each agent's allowed set, all computed
 * once at start-up: nothing here is rebuilt per request.
 */
export class ToolRegistry {
  private readonly byName: Map<string, GatewayTool>;
  private readonly listings: Map<string, ListedTool>;
  private readonly allowed = new Map<string, GatewayTool[]>();

  constructor(
    tools: GatewayTool[],
    agents: AgentConfig[],
    logger: LoggerService,
  ) {
    this.byName = new Map(tools.map(tool => [tool.name, tool]));
    this.listings = new Map(tools.map(tool => [tool.name, describe(tool)]));
    for (const agent of agents) {
      warnAboutPatternsMatchingNothing(agent, tools, logger);
      this.allowed.set(
        agent.id,
        agent.enabled
          ? tools.filter(tool => decideTool(agent, tool).allowed)
          : [],
      );
    }
  }

  /** The permission framework's view of `<agent id>:<tool name>`. */
  resourceOf(ref: string): ToolResource | undefined {
    const parsed = parseToolResourceRef(ref);
    const tool = parsed && this.byName.get(parsed.tool);
    return (
      tool && { agentId: parsed.agentId, tool: tool.name, access: tool.access }
    );
  }

  get(name: string): GatewayTool | undefined {
    return this.byName.get(name);
  }

  allowedFor(agent: AgentConfig): GatewayTool[] {
    return this.allowed.get(agent.id) ?? [];
  }

  listingsOf(tools: GatewayTool[]): ListedTool[] {
    return tools.map(tool => this.listings.get(tool.name)!);
  }
}

/** A typo in a tool pattern silently grants nothing: say so at start-up. */
function warnAboutPatternsMatchingNothing(
  agent: AgentConfig,
  tools: GatewayTool[],
  logger: LoggerService,
) {
  for (const list of ['allow', 'deny'] as const) {
    for (const pattern of agent.tools[list]) {
      if (!tools.some(tool => toolPattern(pattern).test(tool.name))) {
        logger.warn(
          `${agent.configKey}.tools.${list} pattern '${pattern}' matches no tool this gateway serves`,
        );
      }
    }
  }
}

function describe(tool: GatewayTool): ListedTool {
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchema(tool.input, 'input'),
    outputSchema: jsonSchema(tool.output, 'output'),
    annotations: {
      title: tool.title,
      readOnlyHint: tool.access === 'read',
      destructiveHint: tool.access === 'write' && tool.destructive !== false,
      idempotentHint: tool.idempotent,
      // The tools reach only this Backstage instance.
      openWorldHint: false,
    },
  };
}

// Without `$schema`: MCP defaults to 2020-12, and clients that compile
// schemas with a draft-07 validator reject an unknown meta-schema.
function jsonSchema(schema: z.ZodObject, io: 'input' | 'output') {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
  }) as Record<string, unknown>;
  return { ...rest, type: 'object' as const };
}
