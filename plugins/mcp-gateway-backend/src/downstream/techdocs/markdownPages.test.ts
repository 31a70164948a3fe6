import { MarkdownPages, MAX_PAGE_HTML_BYTES } from './markdownPages';

const page = (title: string) =>
  `<article class="md-content__inner"><h1>${title}</h1><p>Body</p></article>`;

describe('MarkdownPages', () => {
  it('converts a page once, and again only when its HTML or path changes', () => {
    const pages = new MarkdownPages();
    const first = pages.convert(page('One'), 'a/');
    expect(first.markdown).toBe('# One\n\nBody');
    expect(pages.convert(page('One'), 'a/')).toBe(first);
    expect(pages.convert(page('One'), 'b/')).not.toBe(first);
    expect(pages.convert(page('Two'), 'a/').markdown).toBe('# Two\n\nBody');
  });

  it('forgets the least recently used page beyond its capacity', () => {
    const pages = new MarkdownPages(2);
    const one = pages.convert(page('One'), '');
    const two = pages.convert(page('Two'), '');
    expect(pages.convert(page('One'), '')).toBe(one);
    pages.convert(page('Three'), '');
    // Two was used least recently: One was kept, Two is converted afresh.
    expect(pages.convert(page('One'), '')).toBe(one);
    expect(pages.convert(page('Two'), '')).not.toBe(two);
  });

  it('refuses a page too large to convert, saying so', () => {
    const huge = `<p>${'x'.repeat(MAX_PAGE_HTML_BYTES)}</p>`;
    expect(() => new MarkdownPages().convert(huge, '')).toThrow(
      'This page is larger than the gateway converts (2 MiB of HTML).',
    );
  });
});
