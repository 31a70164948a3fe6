import { Config } from '@backstage/config';
import { Minimatch } from 'minimatch';
import { compilePattern } from '../config/patterns';
import { quoted, SERVER_ERROR, TransportRefusal } from './refusals';

/** Where the allowed browser origins come from. */
export interface OriginSources {
  /** Base URLs whose origins are allowed: backend.baseUrl, app.baseUrl. */
  baseUrls: string[];
  /** backend.cors.origin patterns, matched as Backstage's CORS does. */
  corsOrigins: string[];
  /** mcpGateway.allowedOrigins patterns (policy/patterns dialect). */
  allowedOrigins: string[];
}

/** Reads the origins Backstage's own config allows, plus the gateway's. */
export function originSourcesFrom(
  config: Config,
  allowedOrigins: string[],
): OriginSources {
  const baseUrls = ['backend.baseUrl', 'app.baseUrl']
    .map(key => config.getOptionalString(key))
    .filter((url): url is string => Boolean(url));
  // backend.cors.origin may be one string or a list, as readCorsOptions reads it.
  const cors = config.getOptional('backend.cors.origin');
  const corsOrigins =
    typeof cors === 'string'
      ? [cors]
      : (cors && config.getStringArray('backend.cors.origin')) || [];
  return { baseUrls, corsOrigins, allowedOrigins };
}

/**
 * DNS rebinding defence (MCP Streamable HTTP): a request that carries an
 * Origin header must come from an allowed origin. Requests without one
 * (non-browser clients) are not browser-originated and pass.
 */
export class OriginPolicy {
  private readonly exact: Set<string>;
  private readonly patterns: Array<(origin: string) => boolean>;

  constructor(sources: OriginSources) {
    this.exact = new Set(
      sources.baseUrls.flatMap(url => normalisedOrigin(url) ?? []),
    );
    this.patterns = [
      // Exactly as @backstage/backend-defaults readCorsOptions matches them.
      ...sources.corsOrigins.map(pattern => {
        const matcher = new Minimatch(pattern, {
          nocase: true,
          noglobstar: true,
        });
        return (origin: string) => matcher.match(origin);
      }),
      ...sources.allowedOrigins.map(pattern => {
        const compiled = compilePattern(pattern, {
          fold: text => text.toLowerCase(),
        });
        return (origin: string) => compiled.test(origin);
      }),
    ];
  }

  /** Whether a request with this Origin header (if any) may go on. */
  allows(originHeader: string | undefined): boolean {
    if (originHeader === undefined) return true;
    const origin = normalisedOrigin(originHeader, { strict: true });
    if (!origin) return false;
    return this.exact.has(origin) || this.patterns.some(test => test(origin));
  }

  refusalFor(originHeader: string | undefined): TransportRefusal | undefined {
    if (this.allows(originHeader)) return undefined;
    return {
      status: 403,
      code: SERVER_ERROR,
      outcome: 'refused',
      reasonCode: 'origin-not-allowed',
      stage: 'origin',
      message: `Origin ${quoted(originHeader ?? '')} is not allowed to call the MCP gateway. Allowed are the origins of backend.baseUrl and app.baseUrl, backend.cors.origin, and mcpGateway.allowedOrigins: add it to mcpGateway.allowedOrigins to allow it.`,
    };
  }
}

/**
 * `scheme://host[:port]` with scheme and host in lower case and the default
 * port dropped, or undefined. Strict (for headers): only a bare http(s)
 * origin counts; `null`, paths, credentials and other schemes do not.
 */
export function normalisedOrigin(
  text: string,
  { strict = false } = {},
): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (strict && url.href !== `${url.origin}/`) return undefined;
  return url.origin;
}
