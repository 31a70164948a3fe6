import { anchorOffset } from './anchorOffset';
import { pageToMarkdown } from './pageMarkdown';

const HTML = `<article class="md-content__inner">
<h1 id="runbook">Runbook<a class="headerlink" href="#runbook">¶</a></h1>
<p>Intro.</p>
<h2 id="failover-to-the-secondary-region">Failover to the <em>secondary</em> region<a class="headerlink" href="#failover-to-the-secondary-region">¶</a></h2>
<p>Steps.</p>
<h3 id="pay-1175">PAY_1175 &amp; friends<a class="headerlink" href="#pay-1175">¶</a></h3>
<p>More.</p>
</article>`;

describe('anchorOffset', () => {
  const { markdown } = pageToMarkdown(HTML, 'runbook/');

  it("finds where the anchor's heading starts in the Markdown", () => {
    const offset = anchorOffset(
      HTML,
      markdown,
      'failover-to-the-secondary-region',
    )!;
    expect(markdown.slice(offset)).toMatch(
      /^## Failover to the _secondary_ region|^## Failover to the \*secondary\* region/,
    );
  });

  it('finds a heading whose title Markdown escapes', () => {
    const offset = anchorOffset(HTML, markdown, 'pay-1175');
    expect(offset).toBeDefined();
    expect(markdown.slice(offset!)).toMatch(/^### PAY\\?_1175 & friends/);
  });

  it('gives nothing for an anchor no heading has', () => {
    expect(anchorOffset(HTML, markdown, 'nowhere')).toBeUndefined();
  });
});
