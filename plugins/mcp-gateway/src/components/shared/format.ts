import { PrincipalMatcher } from '@mcp-gateway/plugin-mcp-gateway-common';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A moment as the reader's locale writes it, with seconds. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
}

/** A moment as two short parts, the time (with seconds) and the date, for narrow columns. */
export function formatTimeAndDate(iso: string): { time: string; date: string } {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return { time: iso, date: '' };
  return {
    time: date.toLocaleTimeString(undefined, { timeStyle: 'medium' }),
    date: date.toLocaleDateString(undefined, { dateStyle: 'medium' }),
  };
}

/** How long ago, roughly ("just now", "5 min ago", "3 h ago", "2 days ago"). */
export function formatRelative(iso: string, now: number = Date.now()): string {
  const time = new Date(iso).getTime();
  if (Number.isNaN(time)) return iso;
  const ago = now - time;
  if (ago < MINUTE) return 'just now';
  if (ago < HOUR) return `${Math.floor(ago / MINUTE)} min ago`;
  if (ago < DAY) return `${Math.floor(ago / HOUR)} h ago`;
  const days = Math.floor(ago / DAY);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** Counts with the locale's thousands separators. */
export function formatCount(count: number): string {
  return count.toLocaleString();
}

/** A principal matcher's kind and what it matches, e.g. `service` and `incident-copilot`. */
export function principalParts(principal: PrincipalMatcher): {
  kind: 'service' | 'actor' | 'user' | 'group';
  value: string;
} {
  if ('service' in principal) {
    return { kind: 'service', value: principal.service };
  }
  if ('actor' in principal) return { kind: 'actor', value: principal.actor };
  if ('user' in principal) return { kind: 'user', value: principal.user };
  return { kind: 'group', value: principal.group };
}

/** A principal matcher as one short phrase, e.g. `service: incident-copilot`. */
export function describePrincipal(principal: PrincipalMatcher): string {
  const { kind, value } = principalParts(principal);
  return `${kind}: ${value}`;
}
