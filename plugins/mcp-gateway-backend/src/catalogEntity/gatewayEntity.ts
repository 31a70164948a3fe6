import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  DEFAULT_NAMESPACE,
  Entity,
} from '@backstage/catalog-model';
import { stringify } from 'yaml';
import { GatewayEntitySettings } from './catalogEntityConfig';

/** The MCP server schema version Portal reads (its docs name this one). */
export const MCP_SCHEMA_VERSION = '2025-09-29';
export const ANNOTATION_MCP_SCHEMA_VERSION = 'mcp.spotify.com/schema-version';
/** The plugin Portal asks for a plugin-to-plugin token on behalf of the user. */
export const ANNOTATION_MCP_AUTH_PLUGIN_ID = 'mcp.spotify.com/auth-plugin-id';
export const GATEWAY_PLUGIN_ID = 'mcp-gateway';

export interface GatewayEntityInput {
  settings: GatewayEntitySettings;
  /** The gateway's external URL, `discovery.getExternalBaseUrl('mcp-gateway')`. */
  mcpUrl: string;
  /** This package's version. */
  version: string;
  /** The entity provider's name: the entity's location is `provider:<name>`. */
  providerName: string;
}

/**
 * The gateway as an MCP server API entity, in the shape Spotify Portal
 * lists (annotations and a YAML `definition`) and the shape upstream
 * Backstage's catalog model adds (`spec.remotes`): one entity serves both.
 */
export function buildGatewayEntity({
  settings,
  mcpUrl,
  version,
  providerName,
}: GatewayEntityInput): Entity {
  const remotes = [{ type: 'streamable-http', url: mcpUrl }];
  const location = `provider:${providerName}`;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: settings.name,
      namespace: DEFAULT_NAMESPACE,
      title: settings.title,
      description: settings.description,
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [ANNOTATION_MCP_SCHEMA_VERSION]: MCP_SCHEMA_VERSION,
        [ANNOTATION_MCP_AUTH_PLUGIN_ID]: GATEWAY_PLUGIN_ID,
      },
    },
    spec: {
      type: 'mcp-server',
      lifecycle: settings.lifecycle,
      owner: settings.owner,
      ...(settings.system !== undefined && { system: settings.system }),
      remotes,
      // The server.json document Portal parses, as YAML.
      definition: stringify({
        name: settings.serverName,
        description: settings.description,
        version,
        remotes,
      }),
    },
  };
}
