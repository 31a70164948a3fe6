import { HTMLElement, parse } from 'node-html-parser';
import { resolveSiteHref } from './siteLinks';

/** One entry of a docs site's navigation: a page, a section, or both. */
export interface NavEntry {
  title: string;
  /** Site page key (see resolveSiteHref); absent for a section without a page. */
  path?: string;
  children?: NavEntry[];
}

const PARSE_OPTIONS = {
  blockTextElements: { script: true, noscript: true, style: true },
};

/**
 * The site's navigation as mkdocs-material renders it into every page, read
 * from the page at `pagePath`. Paths are site-root relative, so they are the
 * same whichever page the navigation was read from.
 */
export function siteNavigation(html: string, pagePath: string): NavEntry[] {
  const nav = parse(html, PARSE_OPTIONS).querySelector('nav.md-nav--primary');
  return nav ? entriesOf(nav, pagePath) : [];
}

function entriesOf(nav: HTMLElement, pagePath: string): NavEntry[] {
  const list = childrenOf(nav, el => el.classList.contains('md-nav__list'));
  if (!list[0]) return [];
  const entries: NavEntry[] = [];
  for (const item of childrenOf(list[0], isNavItem)) {
    const entry = entryOf(item, pagePath);
    if (entry) entries.push(entry);
  }
  return entries;
}

function entryOf(item: HTMLElement, pagePath: string): NavEntry | undefined {
  // A section index page (navigation.indexes) sits in a container by the label.
  const container = childrenOf(item, el =>
    el.classList.contains('md-nav__container'),
  )[0];
  const link = childrenOf(container ?? item, isNavLink)[0];
  const path = link ? linkPath(link, pagePath) : undefined;

  const inner = childrenOf(
    item,
    el => el.tagName === 'NAV' && !el.classList.contains('md-nav--secondary'),
  )[0];
  if (item.classList.contains('md-nav__item--nested') && inner) {
    const label = childrenOf(
      item,
      el => el.tagName === 'LABEL' && el.classList.contains('md-nav__link'),
    )[0];
    // With a section index page the label holds only an icon.
    const title =
      [label, link, inner.querySelector('label.md-nav__title')]
        .map(el => (el ? textOf(el) : ''))
        .find(Boolean) ?? '';
    const children = entriesOf(inner, pagePath);
    return path === undefined ? { title, children } : { title, path, children };
  }

  // A page link that leads nowhere safe is no use to an agent.
  if (!link || path === undefined) return undefined;
  return { title: textOf(link), path };
}

function linkPath(link: HTMLElement, pagePath: string): string | undefined {
  const href = link.getAttribute('href');
  return href === undefined ? undefined : resolveSiteHref(href, pagePath);
}

function isNavItem(el: HTMLElement): boolean {
  return el.tagName === 'LI' && el.classList.contains('md-nav__item');
}

function isNavLink(el: HTMLElement): boolean {
  return el.tagName === 'A' && el.classList.contains('md-nav__link');
}

function childrenOf(
  el: HTMLElement,
  accept: (child: HTMLElement) => boolean,
): HTMLElement[] {
  return el.children.filter(accept);
}

function textOf(el: HTMLElement): string {
  return el.text.replace(/\s+/g, ' ').trim();
}
