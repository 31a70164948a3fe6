import ipaddr from 'ipaddr.js';
import { Address } from './publicAddresses';
import { clip } from '../../config/untrustedText';

/** WHATWG serialises every IPv4 host, however spelt, as dotted decimal. */
const DOTTED_IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** The host of a location URL as the parser reads it. */
export interface Host {
  /** Lower case, brackets and one trailing dot removed. */
  name: string;
  address?: Address;
}

/** The parsed host, or why it is malformed. */
export function hostOf(url: URL): Host | string {
  const hostname = url.hostname;
  if (hostname.startsWith('[')) {
    const name = hostname.slice(1, -1);
    return { name, address: ipaddr.IPv6.parse(name) };
  }
  if (DOTTED_IPV4.test(hostname)) {
    return { name: hostname, address: ipaddr.IPv4.parse(hostname) };
  }
  const name = hostname.endsWith('.') ? hostname.slice(0, -1) : hostname;
  if (name.length === 0 || name.length > 253) {
    return 'Location URL host is empty or longer than 253 characters';
  }
  if (name.split('.').some(label => label.length === 0 || label.length > 63)) {
    return `Location URL host '${clip(name)}' has an empty or over-long label`;
  }
  return { name };
}

/** The host as the text spells it (authority without port; no `@` here). */
export function rawHostOf(authority: string): string {
  if (authority.startsWith('[')) {
    return authority.slice(0, authority.indexOf(']') + 1);
  }
  const colon = authority.indexOf(':');
  return colon < 0 ? authority : authority.slice(0, colon);
}

/** The port the catalog connects to: the URL's, or its scheme's default. */
export function effectivePort(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'http:' ? 80 : 443;
}
