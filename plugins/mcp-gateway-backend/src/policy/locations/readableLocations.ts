import { posix } from 'node:path';
import { effectivePort } from './locationHost';

/** Separators a server may decode after Backstage has checked `paths`. */
const ENCODED_SEPARATOR = /%(?:2f|5c)/i;

export interface ReadingAllowEntry {
  /** `host`, `host:port`, `host:8000-9000`, or `*.example.com` (subdomains only). */
  host: string;
  /** Path prefixes, matched at a segment boundary; omitted: every path. */
  paths?: readonly string[];
}

/** The URLs Backstage's catalog has a reader for. */
export interface CatalogReaders {
  /**
   * Backstage's `backend.reading.allow`. When it is empty Backstage's
   * FetchUrlReader reads nothing, so only integration hosts pass.
   */
  readingAllow: readonly ReadingAllowEntry[];
  /**
   * `host` (with port, if any) of each integration Backstage reads through
   * without `backend.reading.allow`: compared exactly with the URL's host.
   */
  integrationHosts: readonly string[];
}

/**
 * Whether Backstage has a reader for the URL, as its UrlReaders decide:
 * integration readers compare `url.host` exactly with the integration's
 * host; FetchUrlReader (backend-defaults, `predicateFromConfig`) matches
 * `backend.reading.allow` entries. Where an entry limits paths, encoded
 * separators are refused too: Backstage compares the encoded path, a
 * server may decode `%2F` and step out of the prefix.
 */
export function catalogCanRead(url: URL, readers: CatalogReaders): boolean {
  return (
    readers.integrationHosts.includes(url.host) ||
    readers.readingAllow.some(entry => readingAllowMatches(entry, url))
  );
}

function readingAllowMatches(entry: ReadingAllowEntry, url: URL): boolean {
  // As Backstage: split at ':' (so IPv6 entries never match), compare
  // case-sensitively with the parser's lower-case hostname.
  const [hostname, port] = entry.host.split(':');
  const hostMatches = hostname.startsWith('*.')
    ? url.hostname.endsWith(hostname.slice(1))
    : url.hostname === hostname;
  return hostMatches && portMatches(port, url) && pathMatches(entry.paths, url);
}

/** No port in the entry: the URL must name none either (defaults are dropped by the parser). */
function portMatches(port: string | undefined, url: URL): boolean {
  if (!port) return !url.port;
  const range = port.includes('-')
    ? port.split('-').map(part => parseInt(part, 10))
    : [parseInt(port, 10), parseInt(port, 10)];
  const [start, end] = range;
  if (range.length !== 2 || !(start > 0) || !(end >= start)) return false;
  const actual = effectivePort(url);
  return actual >= start && actual <= end;
}

function pathMatches(paths: readonly string[] | undefined, url: URL): boolean {
  if (!paths) return true;
  if (ENCODED_SEPARATOR.test(url.pathname)) return false;
  const target = posix.normalize(url.pathname);
  return paths.some(allowed => {
    const prefix = allowed.endsWith('/') ? allowed : `${allowed}/`;
    return target === allowed || target.startsWith(prefix);
  });
}
