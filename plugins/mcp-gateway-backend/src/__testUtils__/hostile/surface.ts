import { messagesOf, TestGateway, tokenFor } from '../testGateway';
import { CURRENT } from './hostileCase';

/** A JSON Schema property, as tools/list shows it. */
export interface PropertySchema {
  type?: string;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  items?: PropertySchema;
  propertyNames?: PropertySchema;
  additionalProperties?: PropertySchema;
}

export interface ListedTool {
  name: string;
  inputSchema: {
    properties?: Record<string, PropertySchema>;
    required?: string[];
  };
}

export interface ListedPrompt {
  name: string;
  arguments?: Array<{ name: string; required?: boolean }>;
}

/** What an agent is offered: every tool, resource template and prompt. */
export interface Surface {
  tools: ListedTool[];
  resourceTemplates: Array<{ name: string; uriTemplate: string }>;
  prompts: ListedPrompt[];
  /** The refs of the templates it may run, if it may list them. */
  templates: string[];
}

/**
 * What the gateway offers this caller, read from its own listings at run
 * time, so that a tool, resource or prompt added later is covered too.
 */
export async function surfaceOf(
  gateway: TestGateway,
  subject: string,
): Promise<Surface> {
  const list = async (method: string, params?: object) => {
    const response = await gateway.post(
      { jsonrpc: '2.0', id: 1, method, params },
      {
        authorization: `Bearer ${tokenFor(subject)}`,
        'mcp-protocol-version': CURRENT,
      },
    );
    const [message] = await messagesOf(response);
    if (!message?.result) {
      throw new Error(`${method} failed: ${JSON.stringify(message)}`);
    }
    return message.result;
  };
  const tools: ListedTool[] = (await list('tools/list')).tools;
  const templates = tools.some(tool => tool.name === 'list_templates')
    ? (
        await list('tools/call', {
          name: 'list_templates',
          arguments: { limit: 100 },
        })
      ).structuredContent.items.map((item: { ref: string }) => item.ref)
    : [];
  return {
    tools,
    resourceTemplates: (await list('resources/templates/list'))
      .resourceTemplates,
    prompts: (await list('prompts/list')).prompts,
    templates,
  };
}

/** The `{variables}` of a URI template, in order. */
export function variablesOf(uriTemplate: string): string[] {
  return [...uriTemplate.matchAll(/\{(\w+)\}/g)].map(match => match[1]);
}

/** A URI template with its variables replaced (values used as given). */
export function expand(
  uriTemplate: string,
  values: Record<string, string>,
): string {
  return uriTemplate.replace(/\{(\w+)\}/g, (_, name) => values[name] ?? '');
}
