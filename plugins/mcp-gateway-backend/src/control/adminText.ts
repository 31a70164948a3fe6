/** Reasons and names longer than this are cut where they are shown. */
export const MAX_ADMIN_TEXT = 500;

/**
 * Text an admin typed (a reason, who did it), as it may be shown to agents
 * and written to logs: on one line, without control characters, and bounded.
 */
export function adminText(text: string, limit = MAX_ADMIN_TEXT): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, ' ').trim();
  if (line.length <= limit) return line;
  return `${line.slice(0, limit)}… (${line.length - limit} more characters cut)`;
}
