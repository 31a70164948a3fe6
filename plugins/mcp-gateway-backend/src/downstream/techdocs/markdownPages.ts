import { InputError } from '@backstage/errors';
import { createHash } from 'node:crypto';
import { PageMarkdown, pageToMarkdown } from './pageMarkdown';

/** Larger pages are refused: converting grows faster than the page. */
export const MAX_PAGE_HTML_BYTES = 2 * 1024 * 1024;

/**
 * Pages turned into Markdown, remembered by a digest of their HTML: an
 * agent reads a long page one part per call, and converting a large page
 * takes far longer than fetching it again. Keyed by content, so every call
 * still fetches the page on its caller's behalf; nothing is shared that
 * the caller's own fetch did not return.
 */
export class MarkdownPages {
  private readonly pages = new Map<string, PageMarkdown>();

  constructor(private readonly capacity = 32) {}

  convert(html: string, pagePath: string): PageMarkdown {
    if (Buffer.byteLength(html) > MAX_PAGE_HTML_BYTES) {
      throw new InputError(
        `This page is larger than the gateway converts (${MAX_PAGE_HTML_BYTES / 1024 / 1024} MiB of HTML).`,
      );
    }
    const key = createHash('sha256')
      .update(pagePath)
      .update('\0')
      .update(html)
      .digest('base64url');
    const known = this.pages.get(key);
    if (known) {
      // Most recently used last, so the oldest is evicted first.
      this.pages.delete(key);
      this.pages.set(key, known);
      return known;
    }
    const converted = pageToMarkdown(html, pagePath);
    this.pages.set(key, converted);
    if (this.pages.size > this.capacity) {
      this.pages.delete(this.pages.keys().next().value!);
    }
    return converted;
  }
}
