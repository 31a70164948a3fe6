import { isAllowedHost } from './allowedHosts';
import { effectivePort, hostOf, rawHostOf } from './locationHost';
import {
  addressProblem,
  HostResolution,
  hostNameProblem,
  ResolutionProblem,
  resolutionProblem,
} from './publicAddresses';
import { catalogCanRead, CatalogReaders } from './readableLocations';
import { asciiLower, clip } from '../../config/untrustedText';

/**
 * The SSRF guard of `register_location`: whether the gateway may ask the
 * catalog to register (and so, forever after, fetch) a location URL.
 *
 * The checks, cheapest and most specific first:
 * 1. the text: bounded length, no control characters, whitespace or
 *    backslashes, no percent-encoded control characters;
 * 2. the scheme: `http:` or `https:` only, written as `scheme://`;
 * 3. no credentials (`user:pass@`, or any `@` in the authority);
 * 4. the host, unless an administrator allows it: an IP literal must be a
 *    public address, a name must not be localhost, a metadata service or a
 *    single label;
 * 5. the host and path are spelled as the WHATWG parser (which the catalog
 *    uses too) reads them, so a pattern matched against the text sees what
 *    the catalog will fetch;
 * 6. the catalog can read it: an integration host or a
 *    `backend.reading.allow` entry (checked before DNS, so an agent cannot
 *    make the gateway resolve names the adopter never configured);
 * 7. a host name resolves, within a time limit, to public addresses only
 *    (every one of them: the catalog may connect to any).
 *
 * What it cannot do: the catalog resolves the name again when it reads,
 * so a host whose DNS an attacker controls can rebind between check and
 * read. Step 6 limits that to hosts the adopter configured for reading.
 */

export type { LookupAddress } from './publicAddresses';
export type { ReadingAllowEntry } from './readableLocations';

/** Longer URLs are refused before any parsing. */
export const MAX_LOCATION_URL_LENGTH = 2048;

const DEFAULT_ALLOWED_HOSTS_KEY = 'mcpGateway.locationHosts.allow';

export interface LocationSafetyOptions extends CatalogReaders, HostResolution {
  /**
   * Hosts the adopter explicitly allows although they are (or resolve to)
   * non-public addresses: exact host names or IP literals (`10.0.0.5`,
   * `[fd00::1]`), or `*.example.com` (subdomains only); case-insensitive;
   * an optional `:port` limits the exemption to that port. They skip the
   * address checks only, never the scheme, credentials, spelling or
   * readability checks.
   */
  allowedHosts: readonly string[];
  /** The config key the messages name for `allowedHosts`. */
  allowedHostsKey?: string;
}

/** Which check refused: for tests, audit and dashboards. */
export type LocationRule =
  | 'too-long'
  | 'characters'
  | 'malformed'
  | 'scheme'
  | 'credentials'
  | 'address'
  | 'host-name'
  | 'host-spelling'
  | 'path'
  | 'not-readable'
  | 'lookup';

export interface LocationRefusal {
  code: 'location-unsafe';
  rule: LocationRule;
  /** For the agent and the administrator; repeats at most ~100 characters of input. */
  message: string;
}

/** C0/C1 controls, format characters (bidi overrides, zero-width), separators, and backslash (read as `/` by the parser, but not by every reader). */
const FORBIDDEN_CHARACTER = /[\p{C}\p{Z}\\]/u;
const ENCODED_CONTROL = /%(?:[01][0-9a-f]|7f)/i;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const AUTHORITY_AND_PATH = /^https?:\/\/([^/?#]*)([^?#]*)/i;
/** `.` and `..` in any spelling the parser or a Java server treats as one. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}(?:;.*)?$/i;

/** Why the catalog must not register `url`, or undefined when it may. Never throws. */
export async function locationSafetyProblem(
  url: string,
  options: LocationSafetyOptions,
): Promise<LocationRefusal | undefined> {
  try {
    return await check(url, options);
  } catch {
    return refuse(
      'malformed',
      'Location URL could not be checked, so it is refused',
    );
  }
}

async function check(
  text: unknown,
  options: LocationSafetyOptions,
): Promise<LocationRefusal | undefined> {
  if (typeof text !== 'string') {
    return refuse('malformed', 'Location URL must be a string');
  }
  if (text.length > MAX_LOCATION_URL_LENGTH) {
    return refuse(
      'too-long',
      `Location URL is ${text.length} characters long; the gateway accepts at most ${MAX_LOCATION_URL_LENGTH}`,
    );
  }
  // The message does not repeat the text: it is what may carry the control.
  if (FORBIDDEN_CHARACTER.test(text) || ENCODED_CONTROL.test(text)) {
    return refuse(
      'characters',
      'Location URL contains whitespace, a control or invisible character, or a backslash; percent-encode path characters and use / as separator',
    );
  }
  const scheme = SCHEME.exec(text)?.[1];
  if (!scheme) {
    return refuse(
      'malformed',
      'Location URL must be an absolute URL such as https://host/path/catalog-info.yaml',
    );
  }
  // Both: on-prem GitLab and Gitea often serve http, and the catalog reads
  // only hosts the adopter configured for it (step 6) whatever the scheme.
  if (!['http', 'https'].includes(asciiLower(scheme))) {
    return refuse(
      'scheme',
      `Location URL scheme '${clip(scheme)}:' is not allowed; the gateway registers only http: and https: URLs`,
    );
  }
  const raw = AUTHORITY_AND_PATH.exec(text);
  if (!raw) {
    return refuse(
      'malformed',
      'Location URL must start with https:// or http:// and a host',
    );
  }
  const [, rawAuthority, rawPath] = raw;
  if (rawAuthority.includes('@')) return credentialsRefusal();

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return refuse('malformed', 'Location URL is not a valid URL');
  }
  if (url.username || url.password) return credentialsRefusal();

  const host = hostOf(url);
  if (typeof host === 'string') return refuse('malformed', host);
  const key = options.allowedHostsKey ?? DEFAULT_ALLOWED_HOSTS_KEY;
  const exempt = isAllowedHost(options.allowedHosts, host, effectivePort(url));

  if (!exempt) {
    if (host.address) {
      const problem = addressProblem(host.address);
      if (problem) {
        return refuse(
          'address',
          `Location URL host '${clip(url.hostname)}' is ${problem}; ${publicOnly(key)}`,
        );
      }
    } else {
      const problem = hostNameProblem(host.name);
      if (problem) {
        return refuse(
          'host-name',
          `Location URL host '${clip(host.name)}' ${problem}; ${publicOnly(key)}`,
        );
      }
    }
  }

  if (asciiLower(rawHostOf(rawAuthority)) !== url.hostname) {
    return refuse(
      'host-spelling',
      `Location URL host must be written as the URL parser reads it ('${clip(url.hostname)}'): lowercase ASCII, no percent-encoding, no alternative IP address spellings`,
    );
  }
  if (rawPath.split('/').some(segment => DOT_SEGMENT.test(segment))) {
    return refuse(
      'path',
      "Location URL path has a '.' or '..' segment (in some spelling); send the path without them",
    );
  }

  if (!catalogCanRead(url, options)) {
    return refuse(
      'not-readable',
      `The catalog could not read this URL: host '${clip(url.host)}' is no integration host (integrations.<provider>[].host) and no backend.reading.allow entry covers it and its path; an administrator can add one there`,
    );
  }

  if (exempt || host.address) return undefined;
  const problem = await resolutionProblem(url.hostname, options);
  return problem && resolutionRefusal(host.name, problem, key);
}

function resolutionRefusal(
  name: string,
  problem: ResolutionProblem,
  key: string,
): LocationRefusal {
  const shown = clip(name);
  if (problem.rule === 'address') {
    return refuse(
      'address',
      `Location URL host '${shown}' resolves to ${clip(problem.address)}, ${problem.why}; ${publicOnly(key)}`,
    );
  }
  return refuse(
    'lookup',
    `Location URL host '${shown}' ${problem.why}; the gateway registers only hosts it has seen resolve to public addresses`,
  );
}

function refuse(rule: LocationRule, message: string): LocationRefusal {
  return { code: 'location-unsafe', rule, message };
}

function credentialsRefusal(): LocationRefusal {
  return refuse(
    'credentials',
    "Location URL carries user information before '@'; the catalog reads with its own integration credentials, so send the URL without them",
  );
}

function publicOnly(key: string): string {
  return `the gateway registers only public addresses (an administrator can allow a host in ${key})`;
}
