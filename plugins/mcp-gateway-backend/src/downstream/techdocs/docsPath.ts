import { InvalidArguments } from '../../core/errors';

/** A page of a docs site, as an agent named it and as it is fetched. */
export interface DocsPath {
  /** Canonical page key relative to the site root: '', 'runbook/', 'a.html'. */
  page: string;
  /** The site file holding the page: 'index.html', 'runbook/index.html'. */
  file: string;
  /** The heading id after '#', without it. */
  anchor?: string;
}

const MAX_LENGTH = 512;
const MAX_SEGMENTS = 16;
const MAX_ANCHOR_LENGTH = 256;
// Each round undoes one layer, so `%252e` needs two; more is only evasion.
const MAX_DECODE_ROUNDS = 3;

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// Cc are control characters, Cf invisible ones (bidi overrides, zero widths).
const INVISIBLE = /[\p{Cc}\p{Cf}]/u;
const SEGMENT = /^[\p{L}\p{N}\p{M}\-_.~ ]+$/u;
const ANCHOR = /^[\p{L}\p{N}\p{M}\-_.:~]+$/u;
// An extension marks a file; `v1.2/` style versions are directories.
const EXTENSION = /\.[a-z][a-z0-9]*$/i;

const VALID =
  "a page of the docs site relative to its root, such as '' (the home page), " +
  "'runbook/', 'runbook/ledger-outage/#failover' or 'getting-started.html'";

function refuse(problem: string): never {
  throw new InvalidArguments([
    { path: 'path', message: `path ${problem}; expected ${VALID}` },
  ]);
}

/**
 * Reads a docs page path an agent passed, refusing anything that is not
 * plainly a page of the site: traversal in any encoding, URLs, non-page files.
 * The file returned never holds '..', '%' or '\' and never starts with '/'.
 */
export function parseDocsPath(input: string): DocsPath {
  if (typeof input !== 'string') refuse('must be a string');
  const raw = input.trim();
  if (raw.length > MAX_LENGTH) {
    refuse(`is longer than ${MAX_LENGTH} characters`);
  }
  // Fullwidth '＃', '／' and '．' become their ASCII selves before splitting.
  const text = raw.normalize('NFKC');
  refuseUnsafeText(text);

  const hashAt = text.indexOf('#');
  const rawPath = hashAt < 0 ? text : text.slice(0, hashAt);
  const anchor = hashAt < 0 ? undefined : parseAnchor(text.slice(hashAt + 1));

  const path = decode(rawPath);
  refuseUnsafeText(path);
  if (path.includes('#')) refuse("must not contain an encoded '#'");
  if (path.length > MAX_LENGTH) {
    refuse(`is longer than ${MAX_LENGTH} characters once decoded`);
  }

  const page = pageOf(path);
  const file = page.endsWith('/') || page === '' ? `${page}index.html` : page;
  // Unreachable given the checks above; kept so a later edit cannot open a hole.
  if (
    file.includes('..') ||
    /[%\\]/.test(file) ||
    file.startsWith('/') ||
    file.includes('//')
  ) {
    refuse('is not a safe site path');
  }
  return anchor === undefined ? { page, file } : { page, file, anchor };
}

/** Checks that hold before and after decoding, for a clear message. */
function refuseUnsafeText(text: string): void {
  if (INVISIBLE.test(text)) {
    refuse('must not contain control or invisible characters');
  }
  if (SCHEME.test(text)) {
    refuse('must not be a URL or a drive path (no "scheme:" prefix)');
  }
  if (text.startsWith('//')) {
    refuse("must not start with '//' (a link to another host)");
  }
  if (text.includes('\\')) refuse("must not contain backslashes ('\\')");
  if (text.includes('?')) refuse("must not contain a query string ('?')");
}

/**
 * Undoes percent-encoding until nothing is left to undo, so `%252e%252e` is
 * judged as the '..' it becomes; what is still encoded after that is refused.
 */
function decode(text: string): string {
  let current = text;
  for (
    let round = 0;
    round < MAX_DECODE_ROUNDS && current.includes('%');
    round++
  ) {
    try {
      current = decodeURIComponent(current).normalize('NFKC');
    } catch {
      // Overlong forms such as %c0%ae land here: they are not valid UTF-8.
      refuse('has invalid percent-encoding');
    }
  }
  if (current.includes('%')) {
    refuse("is percent-encoded too many times, or contains '%'");
  }
  return current;
}

function parseAnchor(rawAnchor: string): string | undefined {
  const anchor = decode(rawAnchor);
  if (anchor === '') return undefined;
  if (anchor.length > MAX_ANCHOR_LENGTH || !ANCHOR.test(anchor)) {
    refuse(
      "has an anchor that is not a heading id (letters, digits, '-', '_', '.', ':')",
    );
  }
  return anchor;
}

/** The canonical page key of a decoded path. */
function pageOf(path: string): string {
  // One leading '/' means the site root, which every path is relative to.
  const body = path.startsWith('/') ? path.slice(1) : path;
  if (body === '') return '';
  const endsAsDirectory = body.endsWith('/');
  const segments = (endsAsDirectory ? body.slice(0, -1) : body).split('/');
  if (segments.length > MAX_SEGMENTS) {
    refuse(`has more than ${MAX_SEGMENTS} segments`);
  }
  for (const segment of segments) checkSegment(segment);

  const last = segments[segments.length - 1];
  if (endsAsDirectory) return `${segments.join('/')}/`;
  if (last === 'index.html') {
    segments.pop();
    return segments.length === 0 ? '' : `${segments.join('/')}/`;
  }
  if (last.endsWith('.html')) return segments.join('/');
  if (EXTENSION.test(last)) {
    refuse(
      `must name a documentation page, not the file '${last}' ` +
        "(only directories and '.html' pages, or add a trailing '/' for a directory)",
    );
  }
  return `${segments.join('/')}/`;
}

function checkSegment(segment: string): void {
  if (segment === '') {
    refuse("must not contain empty segments ('//')");
  }
  if (segment.includes('..') || segment === '.') {
    refuse("must not contain '.' or '..' segments, in any encoding");
  }
  if (segment.startsWith('.')) {
    refuse("must not name hidden files or directories (starting with '.')");
  }
  if (segment.trim() !== segment) {
    refuse('must not have segments starting or ending with a space');
  }
  if (!SEGMENT.test(segment)) {
    refuse(
      "may only contain letters, digits, spaces and '-', '_', '.', '~' in each segment",
    );
  }
}
