import { InputError } from '@backstage/errors';

/** Most characters of a page one answer carries. */
export const PAGE_CHUNK_CHARS = 20_000;

export interface PageChunk {
  text: string;
  offset: number;
  /** Where the next chunk starts; absent on the last one. */
  nextOffset?: number;
  totalChars: number;
}

/**
 * The part of a page's Markdown from `offset`: at most `size` characters,
 * ending at a line break where one is near, never inside a character.
 * Chunks from offset 0 through every nextOffset concatenate to the page.
 */
export function chunkOf(
  markdown: string,
  offset: number,
  size = PAGE_CHUNK_CHARS,
): PageChunk {
  const totalChars = markdown.length;
  if (offset > 0 && offset >= totalChars) {
    throw new InputError(
      `offset ${offset} is past the end of this page (${totalChars} characters). Call without offset to read it from the start.`,
    );
  }
  let end = Math.min(offset + size, totalChars);
  if (end < totalChars) {
    const lineEnd = markdown.lastIndexOf('\n', end - 1);
    if (lineEnd >= offset + size / 2) end = lineEnd + 1;
    // Never split a surrogate pair.
    else if (isHighSurrogate(markdown.charCodeAt(end - 1))) end -= 1;
  }
  return {
    text: markdown.slice(offset, end),
    offset,
    ...(end < totalChars && { nextOffset: end }),
    totalChars,
  };
}

function isHighSurrogate(code: number) {
  return code >= 0xd800 && code <= 0xdbff;
}
