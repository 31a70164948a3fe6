import { chunkOf } from './pageChunks';

function reassemble(markdown: string, size: number) {
  const parts: string[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const chunk = chunkOf(markdown, offset, size);
    expect(chunk.text.length).toBeLessThanOrEqual(size);
    parts.push(chunk.text);
    offset = chunk.nextOffset;
  }
  return parts;
}

describe('chunkOf', () => {
  it('returns a short page whole, with no next offset', () => {
    expect(chunkOf('# Title\n\nBody', 0, 100)).toEqual({
      text: '# Title\n\nBody',
      offset: 0,
      totalChars: 13,
    });
  });

  it('cuts at line breaks, and the chunks reassemble the page exactly', () => {
    const markdown = Array.from(
      { length: 300 },
      (_, i) => `| PAY-${1000 + i} | meaning ${i} | action |`,
    ).join('\n');
    const parts = reassemble(markdown, 1000);
    expect(parts.length).toBeGreaterThan(5);
    expect(parts.join('')).toBe(markdown);
    expect(parts.slice(0, -1).every(part => part.endsWith('\n'))).toBe(true);
  });

  it('never splits a character made of two code units', () => {
    const markdown = '😀'.repeat(50);
    const parts = reassemble(markdown, 7);
    expect(parts.join('')).toBe(markdown);
    expect(parts.every(part => part.length % 2 === 0)).toBe(true);
  });

  it('refuses an offset past the end, saying how long the page is', () => {
    expect(() => chunkOf('short', 5, 100)).toThrow(
      'offset 5 is past the end of this page (5 characters)',
    );
  });
});
