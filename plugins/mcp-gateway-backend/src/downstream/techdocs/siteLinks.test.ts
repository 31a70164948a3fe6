import { resolveSiteHref } from './siteLinks';

describe('resolveSiteHref', () => {
  it.each([
    // Anchors on the page itself.
    ['#failover', 'runbook/', 'runbook/#failover'],
    ['#overview', '', '#overview'],
    ['#', 'runbook/', 'runbook/'],
    // Relative links, as mkdocs writes them with directory URLs.
    ['../', 'runbook/', ''],
    ['..', 'runbook/', ''],
    ['../..', 'runbook/ledger-outage/', ''],
    ['.', '', ''],
    ['./', 'runbook/ledger-outage/', 'runbook/ledger-outage/'],
    ['../architecture/', 'runbook/', 'architecture/'],
    ['../../architecture/', 'runbook/ledger-outage/', 'architecture/'],
    ['architecture/', '', 'architecture/'],
    ['ledger-outage/', 'runbook/', 'runbook/ledger-outage/'],
    [
      '../reference/error-codes/#pay-1001',
      'runbook/',
      'reference/error-codes/#pay-1001',
    ],
    ['../assets/images/flow.png', 'runbook/', 'assets/images/flow.png'],
    ['architecture/index.html', '', 'architecture/'],
    ['../index.html#top', 'runbook/', '#top'],
    ['other.html', 'guides/setup.html', 'guides/other.html'],
    ['ledger-outage/?q=1#x', 'runbook/', 'runbook/ledger-outage/#x'],
    ['caf%C3%A9/', '', 'café/'],
    ['%2e%2e/architecture/', 'runbook/', 'architecture/'],
    // Other entities' docs in Backstage.
    [
      '/docs/default/component/ledger/runbook/#replay',
      'runbook/',
      'backstage://techdocs/default/component/ledger/runbook/#replay',
    ],
    [
      '/docs/Default/Component/Ledger/',
      '',
      'backstage://techdocs/default/component/ledger/',
    ],
    [
      '/docs/default/component/ledger',
      '',
      'backstage://techdocs/default/component/ledger/',
    ],
    [
      '/docs/default/system/payments/api/index.html',
      '',
      'backstage://techdocs/default/system/payments/api/',
    ],
    // The wider web.
    ['https://example.com/a_b?x=1#y', '', 'https://example.com/a_b?x=1#y'],
    ['HTTP://example.com', '', 'HTTP://example.com'],
    ['mailto:oncall@example.com', '', 'mailto:oncall@example.com'],
  ])('resolves %j on %j to %j', (href, pagePath, expected) => {
    expect(resolveSiteHref(href, pagePath)).toBe(expected);
  });

  it.each([
    // Above the site root.
    ['../', ''],
    ['../../', 'runbook/'],
    ['../../../x/', 'runbook/ledger-outage/'],
    ['%2e%2e/', ''],
    ['../', 'getting-started.html'],
    ['/docs/default/component/ledger/../../x/', ''],
    ['/docs/default/component/../../x/', ''],
    // Schemes that run or read something.
    // eslint-disable-next-line no-script-url
    ['javascript:alert(1)', ''],
    [' JavaScript:alert(1)', ''],
    ['java\nscript:alert(1)', ''],
    ['java\tscript:alert(1)', ''],
    ['data:text/html,<script>x</script>', ''],
    ['file:///etc/passwd', ''],
    ['vbscript:x', ''],
    // Other absolute paths and hosts.
    ['//evil.example/x', ''],
    ['/\\evil.example/x', ''],
    ['\\\\evil.example\\x', ''],
    ['/catalog/default/component/ledger', ''],
    ['/static/docs/default/component/ledger/techdocs_metadata.json', ''],
    ['/docs/default/component', ''],
    ['/docs/default/comp<onent/x/', ''],
    // Nothing or garbage.
    ['', ''],
    ['   ', ''],
    ['a%zz/', ''],
    ['a%2fb/', ''],
    ['a%00b/', ''],
  ])('drops %j on %j', (href, pagePath) => {
    expect(resolveSiteHref(href, pagePath)).toBeUndefined();
  });
});
