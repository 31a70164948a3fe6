import { ToolContext } from '../tools/types';

/** One piece of a resource's contents, as MCP's resources/read returns it. */
export interface ResourceContents {
  uri: string;
  mimeType: string;
  text: string;
}

/** A concrete resource, as MCP's resources/list shows it. */
export interface ListedResource {
  uri: string;
  name: string;
  title?: string;
  description?: string;
  mimeType: string;
}

/** What MCP's resources/templates/list shows of a kind of resource. */
export interface ResourceTemplate {
  uriTemplate: string;
  name: string;
  title: string;
  description: string;
  mimeType: string;
}

export interface ResourcePage {
  resources: ListedResource[];
  nextCursor?: string;
}

/**
 * A kind of MCP resource, named as agents' `resources.allow` names it
 * (`entity`, `techdocs`). Like a tool, it only does the domain work:
 * identity, policy, limits, shaping and audit happen in the corridor, and
 * it reaches Backstage only through the caller-bound services.
 */
export interface GatewayResource {
  name: string;
  template: ResourceTemplate;
  /**
   * The parameters of a URI of this kind, or undefined if the URI is of
   * another kind. A URI of this kind that is malformed throws InvalidArguments.
   */
  parse(uri: string): Record<string, string> | undefined;
  /** One page of the resources the caller may see, if this kind is listable. */
  list?(ctx: ToolContext, cursor: string | undefined): Promise<ResourcePage>;
  read(
    ctx: ToolContext,
    uri: string,
    params: Record<string, string>,
  ): Promise<ResourceContents[]>;
}
