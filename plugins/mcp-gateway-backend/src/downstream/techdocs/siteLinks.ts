/** Schemes a link on a docs page may keep: they cannot run anything. */
const KEPT_SCHEMES = new Set(['http', 'https', 'mailto']);
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const BACKSTAGE_DOCS = /^\/docs\/([^/]+)\/([^/]+)\/([^/]+)(?:\/(.*))?$/;
const ENTITY_PART = /^[a-z0-9_.-]+$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Where a link found on the docs page `pagePath` (a site page key such as
 * `runbook/`) points: a site-root-relative page key (`architecture/`,
 * `runbook/#failover`), a `backstage://techdocs/…` resource for another
 * entity's docs, an unchanged http(s)/mailto URL, or undefined when the link
 * leads nowhere an agent should follow (other schemes, other absolute paths,
 * above the site root).
 */
export function resolveSiteHref(
  href: string,
  pagePath: string,
): string | undefined {
  // Browsers drop tabs and newlines anywhere in a URL, so `java\nscript:` is
  // still javascript: and must be judged without them.
  const cleaned = href.replace(/[\t\n\r]/g, '').trim();
  // Browsers read `\` as `/`, which would turn `/\host` protocol-relative.
  if (!cleaned || CONTROL.test(cleaned) || cleaned.includes('\\')) {
    return undefined;
  }

  const scheme = SCHEME.exec(cleaned);
  if (scheme) {
    return KEPT_SCHEMES.has(scheme[1].toLowerCase()) ? cleaned : undefined;
  }

  const hashAt = cleaned.indexOf('#');
  const beforeHash = hashAt < 0 ? cleaned : cleaned.slice(0, hashAt);
  const anchor = hashAt < 0 ? '' : decodeAnchor(cleaned.slice(hashAt + 1));
  // The static site ignores query strings.
  const path = beforeHash.split('?')[0];

  if (path.startsWith('//')) return undefined;
  if (path.startsWith('/')) return backstageDocs(path, anchor);

  const page = path === '' ? pagePath : resolvePath(pagePath, path);
  return page === undefined ? undefined : page + anchor;
}

/** `/docs/<ns>/<kind>/<name>/<rest>`, the Backstage docs route, as a resource. */
function backstageDocs(path: string, anchor: string): string | undefined {
  const match = BACKSTAGE_DOCS.exec(path);
  if (!match) return undefined;
  const entity: string[] = [];
  for (const raw of [match[1], match[2], match[3]]) {
    const part = safeDecode(raw);
    if (!isEntityPart(part)) return undefined;
    entity.push(part.toLowerCase());
  }
  const rest = resolvePath('', match[4] ?? '');
  if (rest === undefined) return undefined;
  const [namespace, kind, name] = entity;
  return `backstage://techdocs/${namespace}/${kind}/${name}/${rest}${anchor}`;
}

function isEntityPart(part: string | undefined): part is string {
  return part !== undefined && ENTITY_PART.test(part) && !/^\.+$/.test(part);
}

/**
 * Resolves `relative` against the directory of the page `pagePath`, both
 * site-root relative, into a page key; undefined if it climbs above the root
 * or a segment decodes to something no page name holds.
 */
function resolvePath(pagePath: string, relative: string): string | undefined {
  const stack = pagePath.split('/').slice(0, -1).filter(Boolean);
  const segments = relative.split('/');
  let isDirectory = false;
  for (const raw of segments) {
    const segment = safeDecode(raw);
    if (
      segment === undefined ||
      /[/\\%]/.test(segment) ||
      CONTROL.test(segment)
    ) {
      return undefined;
    }
    isDirectory = segment === '' || segment === '.' || segment === '..';
    if (segment === '..') {
      if (stack.length === 0) return undefined;
      stack.pop();
    } else if (!isDirectory) {
      stack.push(segment);
    }
  }
  // mkdocs directory URLs: `x/index.html` is the page `x/`.
  if (!isDirectory && stack[stack.length - 1] === 'index.html') {
    stack.pop();
    isDirectory = true;
  }
  if (stack.length === 0) return '';
  return stack.join('/') + (isDirectory ? '/' : '');
}

function decodeAnchor(raw: string): string {
  const anchor = safeDecode(raw);
  if (!anchor || CONTROL.test(anchor)) return '';
  return `#${anchor}`;
}

function safeDecode(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw);
  } catch {
    return undefined;
  }
}
