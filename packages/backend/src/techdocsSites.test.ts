import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';

/**
 * The pre-built TechDocs sites in examples/techdocs/ (the demo's `local`
 * publisher directory), checked as the TechDocs backend and its search
 * collator read them: mkdocs-material pages, techdocs_metadata.json and
 * mkdocs' search/search_index.json. Plain string checks: the pages are
 * generated, so their markup is regular.
 */
const ROOT = resolvePath(__dirname, '../../../examples/techdocs');
const SITES_DIR = join(ROOT, 'default', 'component');
const ORIGIN = 'http://backstage.test';
const DOCS_PREFIX = '/docs/default/component/';

interface Site {
  name: string;
  /** Every file, relative to the site directory, with `/` separators. */
  files: string[];
  /** Page HTML by page URL: `''` for the home page, `runbook/` etc. */
  pages: Map<string, string>;
}

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry =>
    entry.isDirectory()
      ? filesUnder(join(dir, entry.name), `${prefix}${entry.name}/`)
      : [`${prefix}${entry.name}`],
  );
}

function loadSite(name: string): Site {
  const files = filesUnder(join(SITES_DIR, name)).sort();
  const pages = new Map<string, string>();
  for (const file of files) {
    if (file === 'index.html' || file.endsWith('/index.html')) {
      pages.set(
        file.slice(0, -'index.html'.length),
        readFileSync(join(SITES_DIR, name, file), 'utf8'),
      );
    }
  }
  return { name, files, pages };
}

const sites = readdirSync(SITES_DIR).sort().map(loadSite);
const siteByName = new Map(sites.map(site => [site.name, site]));

function readJson(site: Site, file: string): any {
  return JSON.parse(readFileSync(join(SITES_DIR, site.name, file), 'utf8'));
}

function between(text: string, start: string, end: string): string {
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from < 0 || to < 0) {
    throw new Error(`no ${start} ... ${end}`);
  }
  return text.slice(from, to);
}

function articleOf(html: string): string {
  const match = html.match(
    /<article class="md-content__inner md-typeset">([\s\S]*?)<\/article>/,
  );
  if (!match) {
    throw new Error('no article');
  }
  return match[1];
}

function primaryNavOf(html: string): string {
  return between(
    html,
    '<nav class="md-nav md-nav--primary"',
    'data-md-type="toc"',
  );
}

function hrefsOf(html: string): string[] {
  return [...html.matchAll(/\shref="([^"]*)"/g)].map(m => m[1]);
}

function idsOf(html: string): Set<string> {
  return new Set([...html.matchAll(/\sid="([^"]+)"/g)].map(m => m[1]));
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&para;/g, '')
    .replace(/&amp;/g, '&');
}

/** Text content of some HTML: tags dropped, entities decoded. */
function textOf(html: string): string {
  return decode(html.replace(/<[^>]*>/g, ''));
}

/**
 * Where a link on a page leads, for links that stay in Backstage: the site
 * and page URL it resolves to, and its fragment. `undefined` for links to
 * other hosts (and mailto: and the like).
 */
function resolveLink(
  site: Site,
  pageUrl: string,
  href: string,
): { site: string; page: string; fragment: string } | undefined {
  const url = new URL(href, `${ORIGIN}${DOCS_PREFIX}${site.name}/${pageUrl}`);
  if (url.origin !== ORIGIN) {
    return undefined;
  }
  const match = url.pathname.match(
    /^\/docs\/default\/component\/([^/]+)\/(.*)$/,
  );
  if (!match) {
    throw new Error(`${href} on ${site.name}/${pageUrl} leaves the docs`);
  }
  return { site: match[1], page: match[2], fragment: url.hash.slice(1) };
}

/**
 * Why a link leads nowhere: no such site, page or anchor; `undefined` when
 * it resolves (or leaves Backstage).
 */
function brokenLink(
  site: Site,
  pageUrl: string,
  href: string,
): string | undefined {
  const target = resolveLink(site, pageUrl, href);
  if (!target) {
    return undefined;
  }
  const where = `${href} on ${site.name}/${pageUrl}`;
  const html = siteByName.get(target.site)?.pages.get(target.page);
  if (html === undefined) {
    return `${where}: no page ${target.site}/${target.page}`;
  }
  if (target.fragment && !idsOf(html).has(target.fragment)) {
    return `${where}: no anchor #${target.fragment}`;
  }
  return undefined;
}

function brokenLinks(site: Site, pageUrl: string, hrefs: string[]): string[] {
  return hrefs.flatMap(href => brokenLink(site, pageUrl, href) ?? []);
}

describe('examples/techdocs', () => {
  it('holds exactly the four sites, lower-case triplet paths', () => {
    expect(readdirSync(ROOT)).toEqual(['default']);
    expect(readdirSync(join(ROOT, 'default'))).toEqual(['component']);
    expect(sites.map(site => site.name)).toEqual([
      'admin-console',
      'auth-service',
      'checkout-service',
      'payments-api',
    ]);
  });

  describe.each(sites.map(site => [site.name, site] as const))(
    '%s',
    (_name, site) => {
      it('lists every other file in techdocs_metadata.json', () => {
        const metadata = readJson(site, 'techdocs_metadata.json');
        expect(metadata.site_name).toBe(site.name);
        expect(metadata.etag).toMatch(/^[0-9a-f]{40}$/);
        expect(Number.isInteger(metadata.build_timestamp)).toBe(true);
        expect([...metadata.files].sort()).toEqual(
          site.files.filter(file => file !== 'techdocs_metadata.json'),
        );
        expect(site.files).toContain('search/search_index.json');
      });

      it('describes the site on its home page', () => {
        const { site_description: description } = readJson(
          site,
          'techdocs_metadata.json',
        );
        const home = site.pages.get('')!;
        expect(description.length).toBeGreaterThan(40);
        expect(home).toContain(
          `<meta name="description" content="${description}">`,
        );
        expect(textOf(articleOf(home))).toContain(description);
        expect(textOf(articleOf(home))).toMatch(/On-call contacts/);
      });

      it('has between 2 and 6 pages, each with the material chrome', () => {
        expect(site.pages.size).toBeGreaterThanOrEqual(2);
        expect(site.pages.size).toBeLessThanOrEqual(6);
        for (const [url, html] of site.pages) {
          expect({ url, doctype: html.startsWith('<!doctype html>') }).toEqual({
            url,
            doctype: true,
          });
          expect(html).toContain('<header class="md-header');
          expect(html).toContain('<nav class="md-nav md-nav--primary"');
          expect(html).toContain('<footer class="md-footer">');
          const article = articleOf(html);
          expect(article).toMatch(/<h1 id="[^"]+">/);
          expect(article).toContain('title="Edit this page"');
        }
      });

      it('links every page from the primary navigation, and only pages', () => {
        for (const [url, html] of site.pages) {
          const nav = hrefsOf(primaryNavOf(html));
          expect(brokenLinks(site, url, nav)).toEqual([]);
          // Without the page's own table of contents (#...).
          const hrefs = nav.filter(href => !href.startsWith('#'));
          const external = hrefs.filter(href => !resolveLink(site, url, href));
          const targets = new Set(
            hrefs.flatMap(href => resolveLink(site, url, href)?.page ?? []),
          );
          expect({ url, external: [...new Set(external)] }).toEqual({
            url,
            external: [`https://github.com/acme/${site.name}`],
          });
          expect({ url, targets: [...targets].sort() }).toEqual({
            url,
            targets: [...site.pages.keys()].sort(),
          });
        }
      });

      it('resolves every link and anchor in the page content', () => {
        for (const [url, html] of site.pages) {
          expect(brokenLinks(site, url, hrefsOf(articleOf(html)))).toEqual([]);
        }
      });

      it('indexes every page and every h2 section for search', () => {
        const index = readJson(site, 'search/search_index.json');
        expect(index.config).toEqual({
          lang: ['en'],
          separator: '[\\s\\-]+',
          pipeline: ['stopWordFilter'],
        });
        const locations = index.docs.map(
          (doc: { location: string }) => doc.location,
        );
        const expected = [...site.pages].flatMap(([url, html]) => [
          url,
          ...[...articleOf(html).matchAll(/<h2 id="([^"]+)">/g)].map(
            m => `${url}#${m[1]}`,
          ),
        ]);
        expect([...locations].sort()).toEqual([...expected].sort());
        expect(brokenLinks(site, '', locations)).toEqual([]);
        for (const doc of index.docs) {
          expect(typeof doc.title).toBe('string');
          expect(doc.text.length).toBeGreaterThan(0);
          expect(doc.text).not.toMatch(
            /<\/?(p|a|code|span|div|table|tr|td|th|li|ul|ol|h\d|strong|em|pre)[\s>]/,
          );
          expect(doc.text).not.toMatch(/&(amp|lt|gt|quot|#39|para);/);
        }
      });
    },
  );

  it('has nested navigation sections in payments-api', () => {
    const home = siteByName.get('payments-api')!.pages.get('')!;
    const nav = primaryNavOf(home);
    expect(nav).toContain('md-nav__item--nested');
    expect(nav).toMatch(
      /<label class="md-nav__title" for="__nav_3">[\s\S]*?Runbook/,
    );
    expect(nav).toMatch(
      /<label class="md-nav__title" for="__nav_4">[\s\S]*?Reference/,
    );
  });

  it('has the failover section, with its alerts, in the payments-api runbook', () => {
    const runbook = articleOf(
      siteByName.get('payments-api')!.pages.get('runbook/')!,
    );
    expect(runbook).toContain(
      '<h2 id="failover-to-the-secondary-region">Failover to the secondary region',
    );
    expect(runbook).toContain(
      '<th>Alert</th>\n<th>Severity</th>\n<th>First step</th>',
    );
    expect(runbook).toContain('<div class="admonition danger">');
    expect(runbook).toContain('<div class="language-bash highlight">');
  });

  it.each([
    [
      'settlement backlog',
      [
        'default/component/payments-api/runbook/index.html',
        'default/component/payments-api/search/search_index.json',
      ],
    ],
    [
      'break-glass procedure',
      [
        'default/component/admin-console/access/index.html',
        'default/component/admin-console/search/search_index.json',
      ],
    ],
  ])('has "%s" only where stated', (phrase, where) => {
    const found = filesUnder(ROOT).filter(file =>
      readFileSync(join(ROOT, file), 'utf8').toLowerCase().includes(phrase),
    );
    expect(found.sort()).toEqual(where);
  });

  it('finds "settlement backlog" in the search text of the runbook page', () => {
    const index = readJson(
      siteByName.get('payments-api')!,
      'search/search_index.json',
    );
    const page = index.docs.find(
      (doc: { location: string }) => doc.location === 'runbook/',
    );
    expect(page.text).toContain('settlement backlog');
  });

  it('has a long error-codes page: at least 250 codes, over 60,000 characters', () => {
    const article = articleOf(
      siteByName.get('payments-api')!.pages.get('reference/error-codes/')!,
    );
    const codes = new Set(
      [...article.matchAll(/<td><code>(PAY-\d{4})<\/code><\/td>/g)].map(
        m => m[1],
      ),
    );
    expect(codes.size).toBeGreaterThanOrEqual(250);
    expect(codes).toContain('PAY-1001');
    // The page's text alone; as Markdown (table pipes, backticks) it is longer.
    expect(textOf(article).replace(/\s+/g, ' ').length).toBeGreaterThan(60_000);
  });
});
