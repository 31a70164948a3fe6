import { z } from 'zod';
import { parseArguments } from '../core/parseArguments';
import { GATEWAY_SOURCE } from '../core/operation';
import { ListedTool, SourcedTool, ToolSource } from './source';
import { GatewayTool } from './types';

/**
 * The gateway's own tools (zod schemas), offered to every caller; the
 * corridor's gates decide which one may list and call them. Listings and
 * JSON Schemas are computed once, at start-up.
 */
export class GatewayToolSource implements ToolSource {
  readonly id = GATEWAY_SOURCE;
  private readonly tools: SourcedTool[];
  private readonly byName: Map<string, SourcedTool>;

  constructor(tools: GatewayTool[]) {
    this.tools = tools.map(sourced);
    this.byName = new Map(this.tools.map(tool => [tool.operation.name, tool]));
  }

  async toolsFor(): Promise<SourcedTool[]> {
    return this.tools;
  }

  async toolFor(_caller: unknown, name: string) {
    return this.byName.get(name);
  }

  async operationNamed(name: string) {
    return this.byName.get(name)?.operation;
  }
}

function sourced(tool: GatewayTool): SourcedTool {
  return {
    operation: {
      kind: 'tool',
      name: tool.name,
      access: tool.access,
      source: GATEWAY_SOURCE,
    },
    listing: describe(tool),
    parseInput: args => parseArguments(tool.input, args),
    targetsOf: input =>
      tool.targets?.(input as z.output<typeof tool.input>) ?? {},
    run: (ctx, input) => tool.run(ctx, input as z.output<typeof tool.input>),
    checkOutput: output => tool.output.parse(output) as Record<string, unknown>,
    render: output => tool.render(output),
  };
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
      destructiveHint: tool.access === 'destructive',
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
