import { lookup as dnsLookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Whether an IP address or a host name is public: what the gateway lets
 * the catalog fetch from. A name is judged by its spelling first, then by
 * every address it resolves to.
 */

export type Address = ipaddr.IPv4 | ipaddr.IPv6;

export interface LookupAddress {
  address: string;
  family: number;
}

export interface HostResolution {
  /** Every address a host name resolves to. Default: the system resolver (getaddrinfo), which the catalog's fetch uses too. */
  lookup?: (hostname: string) => Promise<LookupAddress[]>;
  /** Default 3000. */
  lookupTimeoutMs?: number;
}

/** Why a name does not resolve to public addresses only. */
export type ResolutionProblem =
  /** No usable answer, e.g. `did not resolve within 3000 ms`. */
  | { rule: 'lookup'; why: string }
  /** An answer that is not public. */
  | { rule: 'address'; address: string; why: string };

const DEFAULT_LOOKUP_TIMEOUT_MS = 3000;

const METADATA_NAMES = new Set([
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
  'instance-data',
  'instance-data.ec2.internal',
]);

/** Metadata endpoints that sit in public address space. */
const METADATA_ADDRESSES = new Map([
  ['168.63.129.16', 'the Azure platform endpoint (WireServer)'],
]);

const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback address',
  unspecified: 'an unspecified address, which reaches the local machine',
  private: 'a private address',
  linkLocal: 'a link-local address, where cloud metadata services answer',
  carrierGradeNat: 'a carrier-grade NAT address',
  uniqueLocal: 'a unique-local (private) IPv6 address',
  deprecatedSiteLocal: 'a site-local (private) IPv6 address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
};

const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/** Why an address is not public, or undefined when it is. */
export function addressProblem(address: Address): string | undefined {
  if (address.kind() === 'ipv4') {
    const v4 = address as ipaddr.IPv4;
    const range = v4.range();
    if (range !== 'unicast') return describeRange(range);
    return METADATA_ADDRESSES.get(v4.toString());
  }
  const v6 = address as ipaddr.IPv6;
  const range = v6.range();
  const [, , , , , , high, low] = v6.parts;
  switch (range) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return embeddedProblem(high, low, 'an IPv4-mapped address');
    // NAT64 and 6to4 route to the IPv4 address inside; DNS64 resolvers
    // hand out 64:ff9b::/96 for public hosts, so those stay usable.
    case 'rfc6052':
      return v6.match(NAT64_WELL_KNOWN)
        ? embeddedProblem(high, low, 'a NAT64 address')
        : 'a local-use NAT64 address (64:ff9b:1::/48)';
    case '6to4':
      return embeddedProblem(v6.parts[1], v6.parts[2], 'a 6to4 address');
    // Teredo hides the client's IPv4 address; it has no legitimate use here.
    case 'teredo':
      return 'a Teredo tunnel address';
    case 'unicast':
      // ipaddr.js calls every unlisted address unicast, e.g. the deprecated
      // IPv4-compatible ::a.b.c.d; only 2000::/3 is global unicast.
      return v6.match(GLOBAL_UNICAST_V6)
        ? undefined
        : 'outside the global unicast range 2000::/3';
    default:
      return describeRange(range);
  }
}

function embeddedProblem(
  high: number,
  low: number,
  what: string,
): string | undefined {
  const v4 = new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  const problem = addressProblem(v4);
  return problem && `${what} of ${v4.toString()}, ${problem}`;
}

function describeRange(range: string): string {
  return (
    RANGE_WORDS[range] ?? `an address in the special-purpose range '${range}'`
  );
}

/** Why a host name may not be used, or undefined when it may be resolved. */
export function hostNameProblem(name: string): string | undefined {
  if (name === 'localhost' || name.endsWith('.localhost')) {
    return 'names the local machine';
  }
  if (METADATA_NAMES.has(name)) return 'names a cloud metadata service';
  if (!name.includes('.')) {
    return 'has no domain, so the resolver completes it with local search domains';
  }
  return undefined;
}

class LookupTimeout extends Error {}

/**
 * Why `hostname` does not resolve, within the time limit, to public
 * addresses only, or undefined when it does (every address counts: the
 * catalog may connect to any).
 */
export async function resolutionProblem(
  hostname: string,
  resolution: HostResolution,
): Promise<ResolutionProblem | undefined> {
  const timeoutMs = resolution.lookupTimeoutMs ?? DEFAULT_LOOKUP_TIMEOUT_MS;
  const lookup = resolution.lookup ?? systemLookup;
  const failed = (why: string): ResolutionProblem => ({ rule: 'lookup', why });

  let addresses: unknown;
  try {
    addresses = await within(timeoutMs, () => lookup(hostname));
  } catch (error) {
    if (error instanceof LookupTimeout) {
      return failed(`did not resolve within ${timeoutMs} ms`);
    }
    return failed(`could not be resolved (${errorCode(error)})`);
  }
  if (!Array.isArray(addresses) || addresses.length === 0) {
    return failed('resolved to no address');
  }
  for (const entry of addresses) {
    const address = (entry as Partial<LookupAddress> | undefined)?.address;
    if (typeof address !== 'string' || !ipaddr.isValid(address)) {
      return failed('resolved to something that is not an IP address');
    }
    const why = addressProblem(ipaddr.parse(address));
    if (why) return { rule: 'address', address, why };
  }
  return undefined;
}

// Order does not matter: every address is checked.
function systemLookup(hostname: string): Promise<LookupAddress[]> {
  return dnsLookup(hostname, { all: true });
}

async function within<T>(ms: number, run: () => Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LookupTimeout()), ms);
    timer.unref?.();
  });
  try {
    // `then` turns a lookup that throws synchronously into a rejection.
    return await Promise.race([Promise.resolve().then(run), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,32}$/.test(code)
    ? code
    : 'lookup failed';
}
