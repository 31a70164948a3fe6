import { DiscoveryService } from '@backstage/backend-plugin-api';
import express from 'express';
import Router from 'express-promise-router';

const WELL_KNOWN = '/.well-known/oauth-protected-resource';

/** RFC 9728 protected-resource metadata of the MCP endpoint. */
export interface ResourceMetadata {
  resource: string;
  authorization_servers: string[];
  bearer_methods_supported: string[];
  resource_name: string;
}

/**
 * Where MCP clients learn how to sign a user in for the endpoint: the
 * document (RFC 9728, at the root's well-known path for the endpoint's
 * path) and the 401 challenge that points at it. Public URLs come from
 * discovery, so they are the external ones when the backend has them.
 */
export class ProtectedResource {
  private constructor(
    readonly metadata: ResourceMetadata,
    /** The path on the root router, e.g. `/.well-known/oauth-protected-resource/api/mcp-gateway`. */
    readonly path: string,
    /** The document's public URL, which 401 challenges name. */
    readonly metadataUrl: string,
  ) {}

  static async of(discovery: DiscoveryService): Promise<ProtectedResource> {
    const [resource, authServer] = await Promise.all([
      discovery.getExternalBaseUrl('mcp-gateway'),
      discovery.getExternalBaseUrl('auth'),
    ]);
    const url = new URL(resource);
    const path = `${WELL_KNOWN}${url.pathname.replace(/\/$/, '')}`;
    return new ProtectedResource(
      {
        resource,
        authorization_servers: [authServer],
        bearer_methods_supported: ['header'],
        resource_name: 'Backstage MCP Gateway',
      },
      path,
      `${url.origin}${path}`,
    );
  }

  /** The WWW-Authenticate challenge of a 401 (RFC 6750, RFC 9728 section 5.1). */
  challenge(invalidToken: boolean): string {
    return [
      'Bearer realm="backstage"',
      ...(invalidToken ? ['error="invalid_token"'] : []),
      `resource_metadata="${this.metadataUrl}"`,
    ].join(', ');
  }

  /** For the root router at `path`: the document, to anyone (it holds no secret). */
  handler(): express.Router {
    const router = Router();
    router.get('/', (_req, res) => {
      res.setHeader('Cache-Control', 'public, max-age=3600');
      res.json(this.metadata);
    });
    return router;
  }
}
