/**
 * The one pattern dialect of every list in an agent's policy (`tools`,
 * `templates`, `locations`, `redact`, `allowedOrigins`):
 * - `*` matches any run of characters except `/`;
 * - `**` matches any run of characters, `/` included;
 * - every other character stands for itself.
 * Characters that other glob dialects give a meaning (negation `!`, `?`,
 * brackets, braces, parentheses, backslash escapes) are refused, so that no
 * pattern can mean more, or less, than it says.
 */
const SPECIAL = /[!?[\]{}()\\#]/;

/** Why a pattern is not in the dialect, or undefined when it is. */
export function patternProblem(pattern: string): string | undefined {
  if (pattern.length === 0) return 'must not be empty';
  const special = SPECIAL.exec(pattern);
  if (special) {
    return `'${pattern}' uses '${special[0]}', which patterns do not support: only * (within a segment) and ** (across '/') are wildcards`;
  }
  if (/\*{3,}/.test(pattern)) {
    return `'${pattern}' has a run of three or more '*': use * or **`;
  }
  return undefined;
}

export interface PatternOptions {
  /** Compare case-insensitively, after folding both sides with this. */
  fold?: (text: string) => string;
}

/** A compiled pattern: `test` says whether a whole text matches. */
export interface Pattern {
  readonly source: string;
  test(text: string): boolean;
}

export function compilePattern(
  pattern: string,
  options: PatternOptions = {},
): Pattern {
  const problem = patternProblem(pattern);
  if (problem) {
    // Config validation refuses these first; this guards direct use.
    throw new Error(`Invalid pattern: ${problem}`);
  }
  const fold = options.fold ?? ((text: string) => text);
  const body = fold(pattern)
    .split(/(\*\*|\*)/)
    .map(part => {
      if (part === '**') return '.*';
      if (part === '*') return '[^/]*';
      return escapeRegExp(part);
    })
    .join('');
  // `s`: a newline in a text must not stop `.*` short of the end.
  const regex = new RegExp(`^${body}$`, 's');
  return {
    source: pattern,
    test: text => regex.test(fold(text)),
  };
}

/** Escapes every regular-expression syntax character (valid with the `u` flag). */
export function escapeRegExp(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const lowerCase = (text: string) => text.toLowerCase();
const compiledLists = {
  exact: new WeakMap<readonly string[], Pattern[]>(),
  caseInsensitive: new WeakMap<readonly string[], Pattern[]>(),
};

/**
 * A config list of patterns, compiled once for as long as the list lives
 * (a reloaded config brings new lists; the old ones are dropped with it).
 */
export function compiledList(
  patterns: readonly string[],
  { caseInsensitive = false }: { caseInsensitive?: boolean } = {},
): Pattern[] {
  const cache = compiledLists[caseInsensitive ? 'caseInsensitive' : 'exact'];
  let compiled = cache.get(patterns);
  if (!compiled) {
    compiled = patterns.map(pattern =>
      compilePattern(pattern, caseInsensitive ? { fold: lowerCase } : {}),
    );
    cache.set(patterns, compiled);
  }
  return compiled;
}
