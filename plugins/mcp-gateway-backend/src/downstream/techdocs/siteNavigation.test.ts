import { NavEntry, siteNavigation } from './siteNavigation';

type Hrefs = Record<
  | 'home'
  | 'architecture'
  | 'runbook'
  | 'ledger'
  | 'postgres'
  | 'reference'
  | 'errors',
  string
>;

// eslint-disable-next-line no-script-url
const SCRIPT_HREF = 'javascript:alert(1)';

const FROM_HOME: Hrefs = {
  home: '.',
  architecture: 'architecture/',
  runbook: 'runbook/',
  ledger: 'runbook/ledger-outage/',
  postgres: 'runbook/databases/postgres/',
  reference: 'reference/',
  errors: 'reference/error-codes/',
};

// As mkdocs writes them on runbook/ledger-outage/, the current page.
const FROM_LEDGER: Hrefs = {
  home: '../..',
  architecture: '../../architecture/',
  runbook: '../',
  ledger: './',
  postgres: '../databases/postgres/',
  reference: '../../reference/',
  errors: '../../reference/error-codes/',
};

const toc = `
  <nav class="md-nav md-nav--secondary" aria-label="Table of contents">
    <label class="md-nav__title" for="__toc"><span class="md-nav__icon md-icon"></span>Table of contents</label>
    <ul class="md-nav__list" data-md-component="toc" data-md-scrollfix>
      <li class="md-nav__item"><a href="#overview" class="md-nav__link"><span class="md-ellipsis">Overview</span></a></li>
    </ul>
  </nav>`;

function link(href: string, title: string, active: boolean): string {
  if (!active) {
    return `<li class="md-nav__item"><a href="${href}" class="md-nav__link"><span class="md-ellipsis">${title}</span></a></li>`;
  }
  return `<li class="md-nav__item md-nav__item--active">
    <input class="md-nav__toggle md-toggle" type="checkbox" id="__toc">
    <label class="md-nav__link md-nav__link--active" for="__toc"><span class="md-ellipsis">${title}</span><span class="md-nav__icon md-icon"></span></label>
    <a href="${href}" class="md-nav__link md-nav__link--active"><span class="md-ellipsis">${title}</span></a>
    ${toc}
  </li>`;
}

/** A page of a site with two levels of sections, as mkdocs-material builds it. */
function page(hrefs: Hrefs, current: 'home' | 'ledger'): string {
  return `<!doctype html><html><head><title>Payments</title></head><body>
  <header class="md-header"><nav class="md-header__inner" aria-label="Header"><a href="${hrefs.home}" class="md-header__button md-logo">Payments</a></nav></header>
  <div class="md-sidebar md-sidebar--primary" data-md-type="navigation"><div class="md-sidebar__inner">
  <nav class="md-nav md-nav--primary" aria-label="Navigation" data-md-level="0">
    <label class="md-nav__title" for="__drawer"><a href="${hrefs.home}" class="md-nav__button md-logo">logo</a>Payments</label>
    <div class="md-nav__source"><a href="https://github.com/acme/payments" class="md-source">acme/payments</a></div>
    <ul class="md-nav__list" data-md-scrollfix>
      ${link(hrefs.home, 'Home', current === 'home')}
      ${link(hrefs.architecture, '  Architecture\n  overview ', false)}
      <li class="md-nav__item md-nav__item--nested${current === 'ledger' ? ' md-nav__item--active' : ''}">
        <input class="md-nav__toggle md-toggle" type="checkbox" id="__nav_3">
        <label class="md-nav__link" for="__nav_3" id="__nav_3_label" tabindex="0"><span class="md-ellipsis">Runbook</span><span class="md-nav__icon md-icon"></span></label>
        <nav class="md-nav" data-md-level="1" aria-labelledby="__nav_3_label" aria-expanded="false">
          <label class="md-nav__title" for="__nav_3"><span class="md-nav__icon md-icon"></span>Runbook</label>
          <ul class="md-nav__list" data-md-scrollfix>
            ${link(hrefs.runbook, 'Overview', false)}
            ${link(hrefs.ledger, 'Ledger outage', current === 'ledger')}
            <li class="md-nav__item md-nav__item--nested">
              <input class="md-nav__toggle md-toggle" type="checkbox" id="__nav_3_3">
              <label class="md-nav__link" for="__nav_3_3" id="__nav_3_3_label" tabindex="0"><span class="md-ellipsis">Databases</span><span class="md-nav__icon md-icon"></span></label>
              <nav class="md-nav" data-md-level="2" aria-labelledby="__nav_3_3_label" aria-expanded="false">
                <label class="md-nav__title" for="__nav_3_3"><span class="md-nav__icon md-icon"></span>Databases</label>
                <ul class="md-nav__list" data-md-scrollfix>
                  ${link(hrefs.postgres, 'Postgres', false)}
                </ul>
              </nav>
            </li>
          </ul>
        </nav>
      </li>
      <li class="md-nav__item md-nav__item--nested">
        <input class="md-nav__toggle md-toggle" type="checkbox" id="__nav_4">
        <div class="md-nav__link md-nav__container">
          <a href="${hrefs.reference}" class="md-nav__link"><span class="md-ellipsis">Reference</span></a>
          <label class="md-nav__link" for="__nav_4" id="__nav_4_label" tabindex="0"><span class="md-nav__icon md-icon"></span></label>
        </div>
        <nav class="md-nav" data-md-level="1" aria-labelledby="__nav_4_label" aria-expanded="false">
          <label class="md-nav__title" for="__nav_4"><span class="md-nav__icon md-icon"></span>Reference</label>
          <ul class="md-nav__list" data-md-scrollfix>
            ${link(hrefs.errors, 'Error codes', false)}
          </ul>
        </nav>
      </li>
      ${link('https://github.com/acme/payments', 'Source', false)}
      ${link(SCRIPT_HREF, 'Trap', false)}
    </ul>
  </nav>
  </div></div>
  <div class="md-sidebar md-sidebar--secondary" data-md-type="toc"><div class="md-sidebar__inner">${toc}</div></div>
  <article class="md-content__inner md-typeset"><h1>Page</h1></article>
  </body></html>`;
}

const SITE: NavEntry[] = [
  { title: 'Home', path: '' },
  { title: 'Architecture overview', path: 'architecture/' },
  {
    title: 'Runbook',
    children: [
      { title: 'Overview', path: 'runbook/' },
      { title: 'Ledger outage', path: 'runbook/ledger-outage/' },
      {
        title: 'Databases',
        children: [{ title: 'Postgres', path: 'runbook/databases/postgres/' }],
      },
    ],
  },
  {
    title: 'Reference',
    path: 'reference/',
    children: [{ title: 'Error codes', path: 'reference/error-codes/' }],
  },
  { title: 'Source', path: 'https://github.com/acme/payments' },
];

describe('siteNavigation', () => {
  it('reads the primary navigation from the home page', () => {
    expect(siteNavigation(page(FROM_HOME, 'home'), '')).toEqual(SITE);
  });

  it('gives the same paths when read from a nested page', () => {
    expect(
      siteNavigation(page(FROM_LEDGER, 'ledger'), 'runbook/ledger-outage/'),
    ).toEqual(SITE);
  });

  it('leaves out the table of contents', () => {
    const text = JSON.stringify(siteNavigation(page(FROM_HOME, 'home'), ''));
    expect(text).not.toContain('Table of contents');
    expect(text).not.toContain('#overview');
  });

  it('gives nothing for a page without primary navigation', () => {
    expect(siteNavigation('<html><body><p>x</p></body></html>', '')).toEqual(
      [],
    );
    expect(siteNavigation('', '')).toEqual([]);
  });
});
