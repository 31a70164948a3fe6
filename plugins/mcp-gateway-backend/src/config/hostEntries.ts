import ipaddr from 'ipaddr.js';
import { asciiLower, clip } from './untrustedText';

const HOST_NAME = /^[a-z0-9_-]+(?:\.[a-z0-9_-]+)*$/;

/**
 * A host entry an adopter writes in config: an exact host name or IP
 * literal (`10.0.0.5`, `[fd00::1]`), or `*.example.com` (subdomains only);
 * case-insensitive; an optional `:port` limits it to that port.
 */
export interface HostEntry {
  /** Exact lower-case name, or a suffix `.example.com` for `*.example.com`. */
  name?: string;
  suffix?: string;
  /** Normalised IP literal. */
  address?: string;
  port?: number;
}

/** The entry, or why it is not understood (for config validation). */
export function parseHostEntry(entry: string): HostEntry | string {
  const text = asciiLower(entry.trim());
  let host = text;
  let port: string | undefined;
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(text);
  if (bracketed) {
    [, host, port] = bracketed;
  } else if (text.indexOf(':') !== text.lastIndexOf(':')) {
    host = text; // a bare IPv6 address
  } else if (text.includes(':')) {
    [host, port] = text.split(':');
  }
  const rule: HostEntry = {};
  if (port !== undefined) {
    const number = /^\d{1,5}$/.test(port) ? Number(port) : 0;
    if (number < 1 || number > 65535) {
      return `'${clip(entry)}' has an invalid port`;
    }
    rule.port = number;
  }
  if (bracketed || host.includes(':')) {
    if (!ipaddr.IPv6.isValid(host)) {
      return `'${clip(entry)}' is not a valid IPv6 address`;
    }
    rule.address = ipaddr.IPv6.parse(host).toNormalizedString();
    return rule;
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (ipaddr.IPv4.isValidFourPartDecimal(host)) {
    rule.address = ipaddr.IPv4.parse(host).toNormalizedString();
  } else if (host.startsWith('*.') && HOST_NAME.test(host.slice(2))) {
    rule.suffix = host.slice(1);
  } else if (HOST_NAME.test(host)) {
    rule.name = host;
  } else {
    return `'${clip(entry)}' is neither a host name, a *.domain wildcard nor an IP address`;
  }
  return rule;
}
