import { z } from 'zod';
import { cursorInput, encodeCursor, limitInput, pageFooter } from './paging';

/** A query schema shaped like the tools' own: trimmed, bounded strings. */
const query = z.object({
  term: z.string().trim().min(1).max(200),
  kind: z.string().trim().min(1).max(200).optional(),
});
const cursor = cursorInput('search_catalog', query);

const INVALID =
  'The cursor is not valid for search_catalog. Call again without a cursor to start from the first page.';

/** A cursor built by hand, as a client tampering with one would. */
const forge = (envelope: unknown) =>
  Buffer.from(JSON.stringify(envelope)).toString('base64url');

/** The messages a refused cursor gets; fails the test if it is accepted. */
function refusal(input: unknown): string[] {
  const result = cursor.safeParse(input);
  if (result.success) {
    throw new Error(`accepted: ${JSON.stringify(result.data)}`);
  }
  return result.error.issues.map(issue => issue.message);
}

describe('cursors', () => {
  describe('round trip', () => {
    it('gives back the query and the offset it was made with', () => {
      const made = encodeCursor(
        'search_catalog',
        { term: 'payments', kind: 'Component' },
        40,
      );
      expect(cursor.parse(made)).toEqual({
        query: { term: 'payments', kind: 'Component' },
        offset: 40,
      });
    });

    it('keeps separators, quotes and non-ASCII text in values exactly', () => {
      const term = 'a,b=c:d / "q" \\ ü 漢 \n end';
      expect(
        cursor.parse(encodeCursor('search_catalog', { term }, 0))?.query.term,
      ).toBe(term);
    });

    it('is URL-safe text, whatever the query holds', () => {
      // '>' and '?' runs give '+' and '/' in plain base64 at every alignment.
      for (const pad of ['', 'x', 'xy']) {
        for (const term of ['>>>>>>', '??????', '>?>?>?', 'ÿÿÿÿ']) {
          const made = encodeCursor('search_catalog', { term: pad + term }, 7);
          expect(made).toMatch(/^[A-Za-z0-9_-]+$/);
          expect(cursor.parse(made)?.query.term).toBe(pad + term);
        }
      }
    });

    it('runs the decoded query through the query schema', () => {
      // Normalised as first-page arguments are.
      expect(
        cursor.parse(
          forge({ t: 'search_catalog', q: { term: '  pay ' }, o: 0 }),
        )?.query,
      ).toEqual({ term: 'pay' });
    });

    it('is optional', () => {
      expect(cursor.parse(undefined)).toBeUndefined();
    });
  });

  describe('strict envelope', () => {
    it.each([
      ['an extra key', { t: 'search_catalog', q: { term: 'x' }, o: 0, x: 1 }],
      [
        'a limit smuggled in',
        { t: 'search_catalog', q: { term: 'x' }, o: 0, limit: 10_000 },
      ],
      ['no tool', { q: { term: 'x' }, o: 0 }],
      ['no query', { t: 'search_catalog', o: 0 }],
      ['no offset', { t: 'search_catalog', q: { term: 'x' } }],
      ['a tool that is not a string', { t: 1, q: { term: 'x' }, o: 0 }],
    ])('refuses an envelope with %s', (_what, envelope) => {
      expect(refusal(forge(envelope))).toEqual([INVALID]);
    });

    it.each([
      ['an array', [['search_catalog', { term: 'x' }, 0]]],
      ['null', null],
      ['a string', 'search_catalog'],
      ['a number', 5],
    ])('refuses JSON that is %s', (_what, value) => {
      expect(refusal(forge(value))).toEqual([INVALID]);
    });
  });

  describe('tampering', () => {
    it('refuses text that is not a cursor at all', () => {
      expect(refusal('not a cursor')).toEqual([INVALID]);
      expect(refusal('')).toEqual([INVALID]);
      expect(
        refusal(Buffer.from('{"t":"search_catalog",').toString('base64url')),
      ).toEqual([INVALID]);
    });

    it('refuses a query its tool would refuse as arguments', () => {
      for (const q of [
        {},
        { term: '' },
        { term: '   ' },
        { term: 'x'.repeat(201) },
        { term: 'x', kind: 7 },
        'term=x',
      ]) {
        expect(refusal(forge({ t: 'search_catalog', q, o: 0 }))).toEqual([
          INVALID,
        ]);
      }
    });

    it('refuses a cursor edited byte by byte', () => {
      const made = encodeCursor('search_catalog', { term: 'payments' }, 20);
      const json = Buffer.from(made, 'base64url').toString('utf8');
      const edited = Buffer.from(json.replace('"o":20', '"o":-20')).toString(
        'base64url',
      );
      expect(edited).not.toBe(made);
      expect(refusal(edited)).toEqual([INVALID]);
    });
  });

  describe('wrong tool', () => {
    it("refuses another tool's cursor, naming the tool it was given to", () => {
      const other = encodeCursor('list_entities', { term: 'payments' }, 20);
      expect(refusal(other)).toEqual([INVALID]);
      expect(cursorInput('list_entities', query).parse(other)?.offset).toBe(20);
    });

    it('compares tool names exactly', () => {
      expect(refusal(encodeCursor('SEARCH_CATALOG', { term: 'x' }, 0))).toEqual(
        [INVALID],
      );
    });
  });

  describe('size', () => {
    const padded = cursorInput('padded', z.object({ pad: z.string() }));
    const made = (n: number) =>
      encodeCursor('padded', { pad: 'x'.repeat(n) }, 0);

    it('accepts a cursor of up to 4096 characters and refuses a longer one', () => {
      let n = 0;
      while (made(n + 1).length <= 4096) n++;
      expect(made(n).length).toBeLessThanOrEqual(4096);
      expect(padded.parse(made(n))?.query.pad).toHaveLength(n);
      expect(made(n + 1).length).toBeGreaterThan(4096);
      expect(padded.safeParse(made(n + 1)).success).toBe(false);
    });

    it('refuses an oversize cursor by its length, before decoding it', () => {
      const result = padded.safeParse('A'.repeat(1_000_000));
      expect(result.success).toBe(false);
      expect(result.error?.issues.map(i => i.code)).toEqual(['too_big']);
    });
  });

  describe('offset bounds', () => {
    const at = (o: unknown) =>
      forge({ t: 'search_catalog', q: { term: 'x' }, o });

    it('accepts offsets from 0 to 1,000,000', () => {
      expect(cursor.parse(at(0))?.offset).toBe(0);
      expect(cursor.parse(at(1_000_000))?.offset).toBe(1_000_000);
    });

    it.each([
      ['negative', -1],
      ['past 1,000,000', 1_000_001],
      ['fractional', 2.5],
      ['a numeric string', '20'],
      ['null', null],
    ])('refuses an offset that is %s', (_what, o) => {
      expect(refusal(at(o))).toEqual([INVALID]);
    });
  });
});

describe('limits', () => {
  it('defaults to 20 results per page', () => {
    expect(limitInput.parse(undefined)).toBe(20);
  });

  it('accepts 1 to 100', () => {
    expect(limitInput.parse(1)).toBe(1);
    expect(limitInput.parse(100)).toBe(100);
  });

  it.each([0, -1, 101, 2.5, '20', null])('refuses %p', value => {
    expect(limitInput.safeParse(value).success).toBe(false);
  });
});

describe('pageFooter', () => {
  it('says when nothing matches', () => {
    expect(pageFooter({ totalItems: 0, offset: 0, count: 0 })).toBe(
      'No entities match.',
    );
  });

  it('gives the 1-based range, the true total and how to go on', () => {
    expect(
      pageFooter({ totalItems: 45, offset: 20, count: 20, nextCursor: 'abc' }),
    ).toBe('Showing 21-40 of 45. More: call again with cursor "abc".');
  });

  it('offers no more on the last page', () => {
    expect(pageFooter({ totalItems: 45, offset: 40, count: 5 })).toBe(
      'Showing 41-45 of 45.',
    );
  });

  it('says none when a page past the matches is empty', () => {
    expect(pageFooter({ totalItems: 45, offset: 60, count: 0 })).toBe(
      'Showing none of 45.',
    );
  });
});
