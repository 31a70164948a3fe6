import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';

/** Longest a downstream plugin may take to answer one request. */
const DEFAULT_TIMEOUT_MS = 15_000;

/** Larger answers are refused rather than read: no page or result set is this big. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface RequestOptions {
  credentials: BackstageCredentials;
  signal: AbortSignal;
  /** Longest the plugin may take to answer (default 15 seconds). */
  timeoutMs?: number;
}

/**
 * Requests to Backstage plugins that have no service ref (TechDocs,
 * search) or whose service cannot be given a deadline (the scaffolder's
 * task events), made over HTTP with a plugin token on behalf of the caller: the
 * plugin's own permission checks see the real caller, and the caller's
 * token is never handed on.
 */
export class PluginRequests {
  constructor(
    private readonly options: {
      discovery: DiscoveryService;
      auth: AuthService;
    },
  ) {}

  /**
   * GETs `path` (already encoded) from the plugin; a non-2xx answer throws
   * ResponseError, so callers can tell 403 and 404 apart.
   */
  async get(
    pluginId: string,
    path: string,
    options: RequestOptions,
  ): Promise<Response> {
    const { discovery, auth } = this.options;
    const [{ token }, baseUrl] = await Promise.all([
      auth.getPluginRequestToken({
        onBehalfOf: options.credentials,
        targetPluginId: pluginId,
      }),
      discovery.getBaseUrl(pluginId),
    ]);
    const response = await fetch(`${baseUrl}${path}`, {
      headers: { Authorization: `Bearer ${token}` },
      signal: AbortSignal.any([
        options.signal,
        AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      ]),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const length = Number(response.headers.get('content-length'));
    if (length > MAX_RESPONSE_BYTES) {
      await response.body?.cancel();
      throw new Error(
        `The ${pluginId} backend answered with ${length} bytes, more than the gateway reads`,
      );
    }
    return response;
  }

  async getJson<T>(
    pluginId: string,
    path: string,
    options: RequestOptions,
  ): Promise<T> {
    return (await (await this.get(pluginId, path, options)).json()) as T;
  }

  async getText(
    pluginId: string,
    path: string,
    options: RequestOptions,
  ): Promise<string> {
    return (await this.get(pluginId, path, options)).text();
  }
}
