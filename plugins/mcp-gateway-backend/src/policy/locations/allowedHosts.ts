import { parseHostEntry } from '../../config/hostEntries';
import { Host } from './locationHost';

/**
 * The adopter's exemption from the address checks: hosts allowed although
 * they are (or resolve to) non-public addresses. An entry is an exact host
 * name or IP literal (`10.0.0.5`, `[fd00::1]`), or `*.example.com`
 * (subdomains only); case-insensitive; an optional `:port` limits it to
 * that port.
 */

/** Whether an entry of `allowedHosts` names the host, on this port. */
export function isAllowedHost(
  allowedHosts: readonly string[],
  host: Host,
  port: number,
): boolean {
  return allowedHosts.some(entry => allowedHostMatches(entry, host, port));
}

function allowedHostMatches(entry: string, host: Host, port: number): boolean {
  const rule = parseHostEntry(entry);
  if (typeof rule === 'string') return false;
  if (rule.port !== undefined && rule.port !== port) return false;
  if (rule.address !== undefined) {
    return host.address?.toNormalizedString() === rule.address;
  }
  if (host.address) return false;
  if (rule.suffix !== undefined) return host.name.endsWith(rule.suffix);
  return host.name === rule.name;
}
