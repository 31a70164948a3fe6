import { pageToMarkdown } from './pageMarkdown';

/** A page as mkdocs-material (with techdocs-core) builds it, chrome and all. */
function materialPage(article: string, title = 'Runbook - Payments'): string {
  return `<!doctype html>
<html lang="en" class="no-js">
  <head>
    <meta charset="utf-8">
    <title>${title}</title>
    <link rel="stylesheet" href="../assets/stylesheets/main.css">
    <script>__md_scope=new URL("..",location)</script>
  </head>
  <body dir="ltr">
    <input class="md-toggle" data-md-toggle="drawer" type="checkbox" id="__drawer" autocomplete="off">
    <label class="md-overlay" for="__drawer"></label>
    <div data-md-component="skip">
      <a href="#ledger-outage" class="md-skip">Skip to content</a>
    </div>
    <header class="md-header" data-md-component="header">
      <nav class="md-header__inner md-grid" aria-label="Header">
        <a href=".." title="Payments" class="md-header__button md-logo">Payments</a>
        <div class="md-header__title"><span class="md-ellipsis">Payments docs header</span></div>
        <div class="md-search" data-md-component="search"><input type="text" class="md-search__input" placeholder="Search"></div>
      </nav>
    </header>
    <div class="md-container" data-md-component="container">
      <main class="md-main" data-md-component="main">
        <div class="md-main__inner md-grid">
          <div class="md-sidebar md-sidebar--primary" data-md-component="sidebar" data-md-type="navigation">
            <div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">
              <nav class="md-nav md-nav--primary" aria-label="Navigation" data-md-level="0">
                <label class="md-nav__title" for="__drawer">Payments nav title</label>
                <ul class="md-nav__list" data-md-scrollfix>
                  <li class="md-nav__item"><a href="../" class="md-nav__link"><span class="md-ellipsis">Home nav entry</span></a></li>
                  <li class="md-nav__item md-nav__item--active"><a href="./" class="md-nav__link md-nav__link--active"><span class="md-ellipsis">Runbook nav entry</span></a></li>
                </ul>
              </nav>
            </div></div>
          </div>
          <div class="md-sidebar md-sidebar--secondary" data-md-component="sidebar" data-md-type="toc">
            <div class="md-sidebar__scrollwrap"><div class="md-sidebar__inner">
              <nav class="md-nav md-nav--secondary" aria-label="Table of contents">
                <label class="md-nav__title" for="__toc">Table of contents</label>
                <ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>
                  <li class="md-nav__item"><a href="#failover" class="md-nav__link">Toc failover entry</a></li>
                </ul>
              </nav>
            </div></div>
          </div>
          <div class="md-content" data-md-component="content">
            <article class="md-content__inner md-typeset">
              <a href="https://github.com/acme/payments/edit/main/docs/runbook.md" title="Edit this page" class="md-content__button md-icon"><svg viewBox="0 0 24 24"><path d="M10 20v-6h4v6"></path></svg></a>
              ${article}
              <aside class="md-source-file"><span class="md-source-file__fact">Last update: 2024-05-01</span></aside>
            </article>
          </div>
          <script>var ignored = "<p>not content</p>";</script>
        </div>
        <button type="button" class="md-top md-icon" data-md-component="top" hidden>Back to top</button>
      </main>
      <footer class="md-footer">
        <nav class="md-footer__inner md-grid" aria-label="Footer">
          <a href="../" class="md-footer__link md-footer__link--prev" aria-label="Previous: Home">
            <div class="md-footer__title"><span class="md-footer__direction">Previous</span><div class="md-ellipsis">Home</div></div>
          </a>
        </nav>
        <div class="md-footer-meta md-typeset"><div class="md-copyright">Made with Material for MkDocs</div></div>
      </footer>
    </div>
    <div class="md-dialog" data-md-component="dialog"><div class="md-dialog__inner md-typeset"></div></div>
    <script id="__config" type="application/json">{"base": "..", "features": []}</script>
    <script src="../assets/javascripts/bundle.js"></script>
  </body>
</html>`;
}

const CHROME_TEXT = [
  'Skip to content',
  'Payments docs header',
  'Search',
  'nav entry',
  'Payments nav title',
  'Table of contents',
  'Toc failover entry',
  'Previous',
  'Made with Material',
  'Edit this page',
  'Last update',
  'Back to top',
  'not content',
  '__md_scope',
  '<',
];

describe('pageToMarkdown', () => {
  it('converts headings, paragraphs and inline code, and drops the chrome', () => {
    const page = pageToMarkdown(
      materialPage(`
        <h1 id="ledger-outage">Ledger outage<a class="headerlink" href="#ledger-outage" title="Permanent link">&para;</a></h1>
        <p>When the <code>ledger</code> stops accepting writes, payments queue up.</p>
        <h2 id="failover">Failover<a class="headerlink" href="#failover" title="Permanent link">&para;</a></h2>
        <p>Fail over <strong>only</strong> after paging the <em>ledger</em> owner.</p>
        <h3 id="after">After &amp; beyond<a class="headerlink" href="#after" title="Permanent link">&para;</a></h3>
        <ul>
          <li>Check replication lag.</li>
          <li>Tell #payments-ops.</li>
        </ul>
      `),
      'runbook/ledger-outage/',
    );
    expect(page.title).toBe('Ledger outage');
    expect(page.markdown).toBe(
      [
        '# Ledger outage',
        '',
        'When the `ledger` stops accepting writes, payments queue up.',
        '',
        '## Failover',
        '',
        'Fail over **only** after paging the _ledger_ owner.',
        '',
        '### After & beyond',
        '',
        '* Check replication lag.',
        '* Tell #payments-ops.',
      ].join('\n'),
    );
    for (const text of [...CHROME_TEXT, '¶']) {
      expect(page.markdown).not.toContain(text);
    }
  });

  it('fences code blocks with their language and exact text', () => {
    const { markdown } = pageToMarkdown(
      materialPage(`
        <p>Drain the pods:</p>
        <div class="language-bash highlight"><pre><span></span><code><span id="__span-0-1"><a id="__codelineno-0-1" name="__codelineno-0-1" href="#__codelineno-0-1"></a>kubectl<span class="w"> </span>get<span class="w"> </span>pods<span class="w"> </span>-l<span class="w"> </span><span class="nv">app</span><span class="o">=</span>ledger<span class="w"> </span><span class="o">&amp;&amp;</span><span class="w"> </span><span class="nb">echo</span><span class="w"> </span><span class="s2">&quot;done &lt;ok&gt;&quot;</span>
</span><span id="__span-0-2"><a id="__codelineno-0-2" name="__codelineno-0-2" href="#__codelineno-0-2"></a><span class="nb">echo</span><span class="w"> </span><span class="s1">&#39;it&#39;</span><span class="s1">s</span>
</span></code></pre></div>
        <p>With line numbers:</p>
        <div class="language-python highlight"><table class="highlighttable"><tr><td class="linenos"><div class="linenodiv"><pre><span></span><span class="normal"><a href="#__codelineno-1-1">1</a></span>
<span class="normal"><a href="#__codelineno-1-2">2</a></span></pre></div></td><td class="code"><div><pre><span></span><code><a id="__codelineno-1-1" name="__codelineno-1-1"></a><span class="k">if</span> <span class="n">a</span> <span class="o">&lt;</span> <span class="n">b</span><span class="p">:</span>
<a id="__codelineno-1-2" name="__codelineno-1-2"></a>    <span class="nb">print</span><span class="p">(</span><span class="s2">&quot;\`\`\`&quot;</span><span class="p">)</span>
</code></pre></div></td></tr></table></div>
        <pre><code>plain
text</code></pre>
      `),
      'runbook/',
    );
    expect(markdown).toBe(
      [
        'Drain the pods:',
        '',
        '```bash',
        'kubectl get pods -l app=ledger && echo "done <ok>"',
        "echo 'it's",
        '```',
        '',
        'With line numbers:',
        '',
        '````python',
        'if a < b:',
        '    print("```")',
        '````',
        '',
        '```',
        'plain',
        'text',
        '```',
      ].join('\n'),
    );
  });

  it('keeps code blocks inside lists, quotes and table cells', () => {
    const { markdown } = pageToMarkdown(
      materialPage(`
        <ol>
          <li><p>Check the pods:</p><div class="language-bash highlight"><pre><span></span><code>kubectl get pods
</code></pre></div><p>All should be <code>Running</code>.</p></li>
          <li>Restart them.</li>
        </ol>
        <div class="admonition danger">
          <p class="admonition-title">Outer</p>
          <details class="note"><summary>Inner</summary><pre class="mermaid"><code>graph LR
  A --&gt; B</code></pre></details>
        </div>
        <table><tr><th>Command</th></tr><tr><td><div class="highlight"><pre><code>a | b</code></pre></div></td></tr></table>
      `),
      'runbook/',
    );
    expect(markdown).toBe(
      [
        '1. Check the pods:',
        '```bash',
        'kubectl get pods',
        '```',
        'All should be `Running`.',
        '2. Restart them.',
        '',
        '> **Outer** (danger)',
        '>',
        '>> **Inner** (note)',
        '>>',
        '>> ```mermaid',
        '>> graph LR',
        '>>   A --> B',
        '>> ```',
        '',
        '| Command  |',
        '| -------- |',
        '| `a \\| b` |',
      ].join('\n'),
    );
  });

  it('keeps text that looks like markup from turning into it', () => {
    const { markdown } = pageToMarkdown(
      materialPage(`
        <p>Set &lt;service&gt; to 1 &lt; 2, not *all* [of] them.</p>
        <p>Not a block: &#xE000;0&#xE000; \uE000x:0\uE000</p>
        <pre><code>real</code></pre>
      `),
      'runbook/',
    );
    expect(markdown).toBe(
      [
        'Set \\<service> to 1 < 2, not \\*all\\* \\[of\\] them.',
        '',
        'Not a block: \uE0000\uE000 \uE000x:0\uE000',
        '',
        '```',
        'real',
        '```',
      ].join('\n'),
    );
  });

  it('converts tables to GFM, escaping pipes in cells', () => {
    const { markdown } = pageToMarkdown(
      materialPage(`
        <table>
          <thead><tr><th>Code</th><th>Meaning</th></tr></thead>
          <tbody>
            <tr><td><code>PAY-1001</code></td><td>ledger | queue full | retry</td></tr>
            <tr><td><code>a|b</code></td><td>see <a href="../reference/#pay">reference</a></td></tr>
          </tbody>
        </table>
      `),
      'runbook/',
    );
    expect(markdown).toBe(
      [
        '| Code       | Meaning                         |',
        '| ---------- | ------------------------------- |',
        '| `PAY-1001` | ledger \\| queue full \\| retry   |',
        '| `a\\|b`     | see [reference](reference/#pay) |',
      ].join('\n'),
    );
  });

  it('quotes admonitions and collapsible blocks', () => {
    const { markdown } = pageToMarkdown(
      materialPage(`
        <div class="admonition warning">
          <p class="admonition-title">Careful</p>
          <p>Never restart the <strong>primary</strong> first.</p>
          <div class="language-bash highlight"><pre><span></span><code>pg_ctl status
</code></pre></div>
        </div>
        <div class="admonition note">
          <p class="admonition-title">Note</p>
          <p>Titles equal to the type carry no suffix.</p>
        </div>
        <details class="tip">
          <summary>Why this order?</summary>
          <p>Replicas catch up first.</p>
          <p>Then the primary.</p>
        </details>
      `),
      'runbook/',
    );
    expect(markdown).toBe(
      [
        '> **Careful** (warning)',
        '>',
        '> Never restart the **primary** first.',
        '>',
        '> ```bash',
        '> pg_ctl status',
        '> ```',
        '',
        '> **Note**',
        '>',
        '> Titles equal to the type carry no suffix.',
        '',
        '> **Why this order?** (tip)',
        '>',
        '> Replicas catch up first.',
        '>',
        '> Then the primary.',
      ].join('\n'),
    );
  });

  it('rewrites links to site pages, other docs and the web, and drops the rest', () => {
    const { markdown } = pageToMarkdown(
      materialPage(`
        <p>
          <a href="../architecture/">Architecture</a>,
          <a href="ledger-outage/">ledger outage</a>,
          <a href="#failover">failover</a>,
          <a href="../reference/error-codes/#pay-1001">PAY-1001</a>,
          <a href="/docs/default/component/ledger/runbook/">ledger runbook</a>,
          <a href="https://status.example.com/a_(b)">status</a>,
          <a href="javascript:alert(1)">not a link</a>,
          <a href="../../../etc/passwd">too far up</a>.
        </p>
        <p><img alt="Payment flow" src="../assets/images/flow.png" /> and <img alt="tracking pixel" src="data:image/gif;base64,R0lGOD" /></p>
      `),
      'runbook/',
    );
    expect(markdown).toBe(
      [
        '[Architecture](architecture/), ' +
          '[ledger outage](runbook/ledger-outage/), ' +
          '[failover](runbook/#failover), ' +
          '[PAY-1001](reference/error-codes/#pay-1001), ' +
          '[ledger runbook](backstage://techdocs/default/component/ledger/runbook/), ' +
          '[status](https://status.example.com/a_%28b%29), ' +
          'not a link, too far up.',
        '',
        '![Payment flow](assets/images/flow.png) and tracking pixel',
      ].join('\n'),
    );
  });

  it('labels content tabs', () => {
    const { markdown } = pageToMarkdown(
      materialPage(`
        <div class="tabbed-set tabbed-alternate" data-tabs="1:2"><input checked="checked" id="__tabbed_1_1" name="__tabbed_1" type="radio" /><input id="__tabbed_1_2" name="__tabbed_1" type="radio" /><div class="tabbed-labels"><label for="__tabbed_1_1">Linux</label><label for="__tabbed_1_2">Windows</label></div>
        <div class="tabbed-content">
        <div class="tabbed-block"><p>Use bash.</p></div>
        <div class="tabbed-block"><p>Use PowerShell.</p></div>
        </div>
        </div>
      `),
      'runbook/',
    );
    expect(markdown).toBe(
      [
        '**Linux**',
        '',
        'Use bash.',
        '',
        '**Windows**',
        '',
        'Use PowerShell.',
      ].join('\n'),
    );
  });

  it('gives nothing for a page that is only chrome', () => {
    const page = pageToMarkdown(materialPage(''), 'runbook/');
    expect(page).toEqual({ title: 'Runbook', markdown: '' });
    const noArticle = materialPage('').replace(
      /<div class="md-content"[\s\S]*?<\/article>\s*<\/div>/,
      '',
    );
    expect(noArticle).not.toContain('md-content__inner');
    expect(pageToMarkdown(noArticle, 'runbook/').markdown).toBe('');
  });

  it('takes the title from <title> when there is no h1', () => {
    expect(
      pageToMarkdown(
        materialPage('<p>Hi</p>', 'Ops - On call - Payments'),
        'ops/',
      ).title,
    ).toBe('Ops - On call');
    expect(pageToMarkdown('<p>bare</p>', '')).toEqual({
      title: '',
      markdown: 'bare',
    });
  });

  it('converts a 300-row table quickly', () => {
    const rows = Array.from(
      { length: 300 },
      (_, i) =>
        `<tr><td><code>PAY-${i}</code></td><td>Error ${i} | <a href="../e/${i}/">details</a></td></tr>`,
    ).join('\n');
    const started = Date.now();
    const { markdown } = pageToMarkdown(
      materialPage(
        `<h1>Errors</h1><table><thead><tr><th>Code</th><th>Meaning</th></tr></thead><tbody>${rows}</tbody></table>`,
      ),
      'reference/errors/',
    );
    expect(Date.now() - started).toBeLessThan(1000);
    const lines = markdown.split('\n');
    expect(lines).toHaveLength(2 + 2 + 300);
    expect(lines[lines.length - 1]).toBe(
      '| `PAY-299` | Error 299 \\| [details](reference/e/299/) |',
    );
  });
});
