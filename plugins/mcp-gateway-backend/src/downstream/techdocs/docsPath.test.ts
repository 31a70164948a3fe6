import { InvalidArguments } from '../../core/errors';
import { parseDocsPath } from './docsPath';

function refusal(input: string): InvalidArguments {
  try {
    parseDocsPath(input);
  } catch (error) {
    if (error instanceof InvalidArguments) return error;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('parseDocsPath', () => {
  it.each([
    ['', { page: '', file: 'index.html' }],
    ['/', { page: '', file: 'index.html' }],
    ['index.html', { page: '', file: 'index.html' }],
    ['/index.html', { page: '', file: 'index.html' }],
    ['#overview', { page: '', file: 'index.html', anchor: 'overview' }],
    ['runbook', { page: 'runbook/', file: 'runbook/index.html' }],
    ['runbook/', { page: 'runbook/', file: 'runbook/index.html' }],
    ['/runbook/', { page: 'runbook/', file: 'runbook/index.html' }],
    ['runbook/index.html', { page: 'runbook/', file: 'runbook/index.html' }],
    [
      'runbook/#failover',
      { page: 'runbook/', file: 'runbook/index.html', anchor: 'failover' },
    ],
    [
      'runbook#failover',
      { page: 'runbook/', file: 'runbook/index.html', anchor: 'failover' },
    ],
    ['runbook/#', { page: 'runbook/', file: 'runbook/index.html' }],
    [
      'runbook/ledger-outage',
      {
        page: 'runbook/ledger-outage/',
        file: 'runbook/ledger-outage/index.html',
      },
    ],
    [
      '  runbook/ledger-outage/index.html#pay-1001  ',
      {
        page: 'runbook/ledger-outage/',
        file: 'runbook/ledger-outage/index.html',
        anchor: 'pay-1001',
      },
    ],
    [
      'getting-started.html',
      { page: 'getting-started.html', file: 'getting-started.html' },
    ],
    [
      'guides/getting-started.html#install',
      {
        page: 'guides/getting-started.html',
        file: 'guides/getting-started.html',
        anchor: 'install',
      },
    ],
    [
      'release/v1.2/',
      { page: 'release/v1.2/', file: 'release/v1.2/index.html' },
    ],
    [
      'release/v1.2',
      { page: 'release/v1.2/', file: 'release/v1.2/index.html' },
    ],
    ['my%20page/', { page: 'my page/', file: 'my page/index.html' }],
    ['caf%C3%A9/', { page: 'café/', file: 'café/index.html' }],
    ['руководство/', { page: 'руководство/', file: 'руководство/index.html' }],
    ['a_b~c/', { page: 'a_b~c/', file: 'a_b~c/index.html' }],
    // Fullwidth letters are the same page once normalised.
    ['ｒｕｎｂｏｏｋ/', { page: 'runbook/', file: 'runbook/index.html' }],
  ])('reads %j', (input, expected) => {
    expect(parseDocsPath(input)).toEqual(expected);
  });

  it.each([
    // Traversal, plainly and in every encoding.
    '..',
    '../',
    '.',
    './runbook',
    '../../etc/passwd',
    'runbook/../..',
    'runbook/./x/',
    'runbook/..',
    '/..',
    '...',
    'a..b/',
    '%2e%2e/',
    '%2E%2e/secret',
    '.%2e/',
    '%2e/',
    '%252e%252e/',
    '%25252e%25252e/',
    '%2525252e/',
    'runbook%2f..%2f..%2fetc',
    '..%2f..%2fetc',
    '%c0%ae%c0%ae/',
    '%e0%80%ae/',
    '%c0%2e/',
    '．．/',
    '％２ｅ％２ｅ/',
    '%EF%BC%8E%EF%BC%8E/',
    '‥/',
    '﹒﹒/',
    'runbook／．．／x',
    // Backslashes, control characters, queries, empty segments.
    'runbook\\..\\x',
    'runbook%5c..%5cx',
    'runbook%5Cx',
    '＼x',
    'a\u0000b',
    'a%00b',
    'a\nb',
    'a%0ab',
    'runbook/\u202efdp.html',
    'runbook/%e2%80%8b/',
    'runbook/?x=1',
    'runbook/%3Fx=1',
    'runbook//x',
    'runbook/#a?b',
    // Other hosts, schemes and drives.
    '//evil.example/x',
    '///x',
    '%2f%2fevil.example/x',
    '/%2fevil.example',
    'http://evil.example/',
    'HTTPS://evil.example',
    'https:evil',
    'file:///etc/passwd',
    // eslint-disable-next-line no-script-url
    'javascript:alert(1)',
    // eslint-disable-next-line no-script-url
    'JaVaScRiPt:alert(1)',
    'javascript%3Aalert(1)',
    'data:text/html,<script>x</script>',
    'C:\\Windows',
    'C:/Windows',
    'c%3A%5Cwindows',
    // Files that are not pages.
    'techdocs_metadata.json',
    'search/search_index.json',
    'assets/x.js',
    'assets/images/flow.png',
    'runbook/index.htm',
    'sitemap.xml.gz',
    '.well-known/',
    // Characters no page name holds, and bad encodings.
    'a<b>/',
    'a"b/',
    "a'b/",
    'a;b/',
    'a*b/',
    '%',
    '%zz/',
    '%e2%82/',
    'runbook/ /x',
    'runbook/ x/',
    'runbook/#<script>',
    'runbook/#a b',
    'runbook/#a#b',
  ])('refuses %j', input => {
    const error = refusal(input);
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0].path).toBe('path');
    expect(error.issues[0].message).toMatch(/^path /);
    expect(error.issues[0].message).toContain("'runbook/'");
  });

  it('says what is wrong and what a valid path looks like', () => {
    expect(refusal('../secrets/').issues[0].message).toBe(
      "path must not contain '.' or '..' segments, in any encoding; " +
        "expected a page of the docs site relative to its root, such as '' " +
        "(the home page), 'runbook/', 'runbook/ledger-outage/#failover' or " +
        "'getting-started.html'",
    );
    expect(refusal('techdocs_metadata.json').issues[0].message).toContain(
      "not the file 'techdocs_metadata.json'",
    );
    expect(refusal('https://x.example').issues[0].message).toContain(
      'must not be a URL',
    );
    expect(refusal('%c0%ae%c0%ae/').issues[0].message).toContain(
      'invalid percent-encoding',
    );
  });

  it.each([
    ['513 characters', 'a'.repeat(513)],
    ['17 segments', 'a/'.repeat(17)],
    ['514 encoded characters', `${'%41'.repeat(171)}/`],
    ['NFKC growing past 512 characters', '\ufdfa/'.repeat(29)],
  ])('refuses a path of %s', (_, input) => {
    expect(refusal(input).issues[0].path).toBe('path');
  });

  it('allows up to 16 segments and 512 characters', () => {
    expect(parseDocsPath('a/'.repeat(16)).page).toBe('a/'.repeat(16));
    const long = `${'a'.repeat(511)}/`;
    expect(parseDocsPath(long).file).toBe(`${long}index.html`);
  });

  it('never returns a file that leaves the site', () => {
    const accepted = [
      '',
      'runbook/',
      'runbook/ledger-outage/index.html#x',
      'a.html',
      'caf%C3%A9',
    ].map(parseDocsPath);
    for (const { file } of accepted) {
      expect(file).not.toMatch(/\.\.|%|\\|^\//);
    }
  });
});
