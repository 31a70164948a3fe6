import { HttpAuthService } from '@backstage/backend-plugin-api';
import { RequestHandler } from 'express';

/**
 * The auth policy path that lets anonymous callers reach the MCP endpoint,
 * so that it can answer them with its own `WWW-Authenticate` challenge.
 *
 * Backstage treats exactly '/' and '*' as "every path of the plugin", which
 * would open Backstage's routes under our prefix too (e.g. the permission
 * metadata). Any other path goes through path-to-regexp v8 with
 * `{ end: false }`: the escaped '\/' compiles to `^(?:\/)(?:\/$)?(?=\/|$)`,
 * which matches the root only (and paths starting with '//', which
 * requireCredentialsOffRoot closes).
 *
 * If a Backstage upgrade ever stops matching it, the MCP endpoint fails
 * CLOSED: anonymous callers get Backstage's own 401, without our challenge.
 */
export const ANONYMOUS_ENDPOINT_POLICY_PATH = '\\/';

/**
 * Everything of this router but exactly the root needs credentials, so that
 * no path the auth policy above lets through reaches another route.
 */
export function requireCredentialsOffRoot(
  httpAuth: HttpAuthService,
): RequestHandler {
  return async (req, _res, next) => {
    if (req.path === '/') {
      next();
      return;
    }
    try {
      await httpAuth.credentials(req, { allow: ['user', 'service'] });
      next();
    } catch (error) {
      next(error);
    }
  };
}
