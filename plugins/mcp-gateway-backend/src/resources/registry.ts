import { entityResource } from './entityResource';
import { techdocsResource } from './techdocsResource';
import { GatewayResource } from './types';

/** Every kind of MCP resource the gateway serves. */
export const ALL_RESOURCES: GatewayResource[] = [
  entityResource,
  techdocsResource,
];
