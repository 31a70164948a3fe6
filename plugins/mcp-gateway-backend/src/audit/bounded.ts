import { JsonValue } from '@backstage/types';

/** Arguments larger than this (as JSON) are kept as a preview only. */
const MAX_AUDITED_ARGUMENTS = 4096;
/** Reasons and other strings in a record are cut at this length. */
export const MAX_AUDITED_TEXT = 1000;

/**
 * What an audit record keeps of a caller's arguments: the value as sent when
 * it is small; otherwise a marker that says it was cut, how big it was, and
 * the start of it. A 1 MB argument must not write a megabyte of log.
 */
export function boundedArguments(value: unknown): JsonValue | undefined {
  if (value === undefined) return undefined;
  let json: string;
  try {
    json = JSON.stringify(value) ?? 'null';
  } catch {
    return { truncated: true, reason: 'not serialisable' };
  }
  if (json.length <= MAX_AUDITED_ARGUMENTS) {
    return value as JsonValue;
  }
  return {
    truncated: true,
    bytes: Buffer.byteLength(json),
    preview: json.slice(0, MAX_AUDITED_TEXT),
  };
}

/** A string cut to a bounded length, saying how much was cut. */
export function boundedText(text: string, limit = MAX_AUDITED_TEXT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${text.length - limit} more characters cut)`;
}
