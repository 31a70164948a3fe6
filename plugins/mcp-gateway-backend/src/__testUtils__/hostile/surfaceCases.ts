import { callTool, HostileCase, NARROW, rpc } from './hostileCase';
import { promptBase, promptCases, promptNameCases } from './promptCases';
import { resourceCases, resourceUriCases } from './resourceCases';
import { baseArguments, SAMPLES } from './samples';
import { expand, Surface } from './surface';
import { toolCases } from './toolCases';

/**
 * Hand-written cases for every tool, resource template and prompt the
 * surface has, derived from their schemas: a tool added later gets them too.
 */
export function surfaceCases(surface: Surface, narrow: Surface): HostileCase[] {
  const narrowTools = new Set(narrow.tools.map(t => t.name));
  return [
    ...surface.tools.flatMap(toolCases),
    ...surface.tools
      .filter(tool => !narrowTools.has(tool.name))
      .map((tool): HostileCase => ({
        name: `${tool.name}: called by an agent that may not call it`,
        body: callTool(tool.name, baseArguments(tool)),
        as: NARROW.subject,
        says: /may not call tool/,
      })),
    ...surface.resourceTemplates.flatMap(resourceCases),
    ...surface.resourceTemplates.map((template): HostileCase => ({
      name: `${template.name} resource: read by an agent that may not read it`,
      body: rpc('resources/read', {
        uri: expand(template.uriTemplate, SAMPLES),
      }),
      as: NARROW.subject,
    })),
    ...resourceUriCases(),
    ...surface.prompts.flatMap(promptCases),
    ...surface.prompts.map((prompt): HostileCase => ({
      name: `${prompt.name} prompt: got by an agent that may not use it`,
      body: rpc('prompts/get', {
        name: prompt.name,
        arguments: promptBase(prompt),
      }),
      as: NARROW.subject,
      says: /may not/,
    })),
    ...promptNameCases(),
  ];
}
