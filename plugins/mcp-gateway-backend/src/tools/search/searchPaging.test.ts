import { SearchHit } from '../../downstream/search/callerSearch';
import { snippetOf } from './searchPaging';

const hit = (text: string, highlight?: string) =>
  ({ text, ...(highlight && { highlight }) }) as SearchHit;

describe('snippetOf', () => {
  it('gives a short text whole, whitespace collapsed', () => {
    expect(snippetOf(hit('Drain  the\n  backlog'))).toBe('Drain the backlog');
  });

  it('cuts a long text around the first highlighted match, marking the cuts', () => {
    const long = `${'lorem ipsum '.repeat(200)}the **settlement** **backlog** grows ${'dolor sit '.repeat(200)}`;
    const snippet = snippetOf(hit(long, long));
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet).toContain('the **settlement** **backlog** grows');
    expect(snippet.length).toBeLessThanOrEqual(282);
  });

  it('never leaves a highlight half open', () => {
    const text = `${'a '.repeat(100)}**${'b'.repeat(400)}**`;
    const snippet = snippetOf(hit(text, text));
    expect((snippet.match(/\*\*/g) ?? []).length % 2).toBe(0);
  });

  it('starts a long text without highlights at its beginning', () => {
    const snippet = snippetOf(hit(`Start here. ${'word '.repeat(500)}`));
    expect(snippet.startsWith('Start here.')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
  });
});
