import { JsonObject, JsonValue } from '@backstage/types';
import { compiledList, Pattern } from '../config/patterns';

/** What the value under a key that names a secret becomes. */
export const SECRET_MARK = '[secret]';
/** What a value an agent's `redact` pattern names becomes (as in entities). */
export const REDACTED_MARK = '[redacted]';
/** What replaces values nested deeper than MAX_DEPTH. */
export const TOO_DEEP_MARK = '[too deep]';
/** What replaces a value that contains itself. */
export const CYCLE_MARK = '[cycle]';
/** What replaces an object a getter or proxy would not let be read. */
export const UNREADABLE_MARK = '[unreadable]';
/** What ends an array or object once MAX_VALUES values were copied. */
export const CUT_MARK = '[cut]';

/** Nesting kept; JSON from a request rarely goes past a handful. */
export const MAX_DEPTH = 32;
/**
 * Values copied at most. Arguments are stored bounded to a few kilobytes
 * anyway (see boundedArguments); this keeps the copy itself cheap.
 */
export const MAX_VALUES = 10_000;
/** Longer key paths are not matched against patterns but redacted outright. */
const MAX_MATCHED_PATH = 1024;

/*
 * Which values are secrets, by the key they sit under. Keys are split into
 * lower-case words at camelCase humps and at any character but a letter or
 * a digit (`X-Api-Key` -> x api key, `clientSecret` -> client secret). The
 * value is a secret when:
 * 1. the key's words, joined, contain a fragment that is never harmless:
 *    password, passwd, passphrase, secret, credential, privatekey, apikey,
 *    accesskey, authorization, cookie (`passwordConfirm`,
 *    `aws_secret_access_key`, `Set-Cookie`); or
 * 2. the key's last word is a secret noun: token, auth, session, jwt,
 *    bearer, otp, pwd (`refresh_token`, `basicAuth`, `x-auth-token`), or
 *    its last two words are sessionid, sessionkey, signingkey,
 *    encryptionkey, masterkey, authkey (`session_id`); or
 * 3. the key's last word is `tokens` or `sessions` and the value is not a
 *    number: a number there is a count (`max_tokens: 1000`), anything else
 *    may hold the things themselves.
 * A noun that is not the last word names something about the secret, not
 * the secret (`tokens_used`, `token_type`, `session_ttl` stay visible).
 * Masking a harmless value costs a little of the record; leaking a secret
 * into it costs far more, so the rule leans towards masking.
 */
const SECRET_FRAGMENTS = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'credential',
  'privatekey',
  'apikey',
  'accesskey',
  'authorization',
  'cookie',
];
const SECRET_LAST_WORDS = new Set([
  'token',
  'auth',
  'session',
  'jwt',
  'bearer',
  'otp',
  'pwd',
]);
const SECRET_LAST_PAIRS = new Set([
  'sessionid',
  'sessionkey',
  'signingkey',
  'encryptionkey',
  'masterkey',
  'authkey',
]);
const COUNTABLE_SECRETS = new Set(['tokens', 'sessions']);

/** Is the value under this key a secret? (See the rule above.) */
export function isSecret(key: string, value: unknown): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  const joined = words.join('');
  if (SECRET_FRAGMENTS.some(fragment => joined.includes(fragment))) {
    return true;
  }
  const last = words[words.length - 1] ?? '';
  if (SECRET_LAST_WORDS.has(last)) return true;
  if (SECRET_LAST_PAIRS.has(words.slice(-2).join(''))) return true;
  return COUNTABLE_SECRETS.has(last) && typeof value !== 'number';
}

/**
 * A copy of a caller's arguments that an audit record may keep:
 * - the value under a key that names a secret (see isSecret) becomes
 *   `[secret]`, at any depth, arrays included;
 * - the value at a key path that one of the agent's `redact` patterns
 *   matches becomes `[redacted]`. Paths join keys with dots, array items
 *   share their array's path, and case does not matter, as in entity
 *   redaction. A pattern may match the path from any key down, not only
 *   from the root: entity fields sent as arguments sit under an argument
 *   (`entity.spec.profile.email` is matched by `spec.profile.email`).
 * - what JSON cannot carry is dropped as JSON.stringify drops it (bigint
 *   becomes its decimal text); values deeper than MAX_DEPTH, cycles, and
 *   anything past MAX_VALUES values become markers.
 * Pure: the input is never changed.
 */
export function maskArguments(
  value: unknown,
  redact: readonly string[],
): JsonValue | undefined {
  let patterns: Pattern[];
  try {
    patterns = compiledList(redact, { caseInsensitive: true });
  } catch {
    // Config validation refuses bad patterns first; if one got here, hide all.
    return REDACTED_MARK;
  }
  const walk: Walk = { patterns, left: MAX_VALUES, ancestors: new Set() };
  return copy(value, [], 0, walk);
}

interface Walk {
  patterns: Pattern[];
  /** Values still to copy before the rest is cut. */
  left: number;
  /** The objects on the path to the value being copied. */
  ancestors: Set<object>;
}

function copy(
  value: unknown,
  path: string[],
  depth: number,
  walk: Walk,
): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      // undefined, functions, symbols: JSON has no such value.
      return undefined;
  }
  if (value === null) return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString();
  }
  if (depth >= MAX_DEPTH) return TOO_DEEP_MARK;
  if (walk.ancestors.has(value)) return CYCLE_MARK;
  walk.ancestors.add(value);
  try {
    return Array.isArray(value)
      ? copyArray(value, path, depth, walk)
      : copyObject(value, path, depth, walk);
  } catch {
    // A getter or proxy that throws: the record says so, the call goes on.
    return UNREADABLE_MARK;
  } finally {
    walk.ancestors.delete(value);
  }
}

function copyArray(
  items: unknown[],
  path: string[],
  depth: number,
  walk: Walk,
): JsonValue[] {
  const out: JsonValue[] = [];
  for (const item of items) {
    if (--walk.left < 0) {
      out.push(CUT_MARK);
      break;
    }
    // Items share their array's path; JSON writes what it cannot carry as null.
    out.push(copy(item, path, depth + 1, walk) ?? null);
  }
  return out;
}

function copyObject(
  object: object,
  path: string[],
  depth: number,
  walk: Walk,
): JsonObject {
  const entries: Array<[string, JsonValue]> = [];
  for (const key of Object.keys(object)) {
    if (--walk.left < 0) {
      entries.push([CUT_MARK, true]);
      break;
    }
    const keyPath = [...path, key];
    const value = (object as Record<string, unknown>)[key];
    if (!carried(value)) continue;
    if (isSecret(key, value)) {
      entries.push([key, SECRET_MARK]);
    } else if (redacts(keyPath, walk.patterns)) {
      entries.push([key, REDACTED_MARK]);
    } else {
      entries.push([key, copy(value, keyPath, depth + 1, walk) ?? null]);
    }
  }
  // fromEntries defines `__proto__` as an own key, as JSON.parse does.
  return Object.fromEntries(entries);
}

/** JSON leaves out object members it has no value for. */
function carried(value: unknown) {
  return (
    value !== undefined &&
    typeof value !== 'function' &&
    typeof value !== 'symbol'
  );
}

/**
 * Whether a pattern matches the path that ends at its last key, starting
 * from any key. Shorter paths were tested on the way down.
 */
function redacts(keyPath: string[], patterns: Pattern[]): boolean {
  if (patterns.length === 0) return false;
  for (let from = 0; from < keyPath.length; from++) {
    const path = keyPath.slice(from).join('.');
    if (path.length > MAX_MATCHED_PATH) return true;
    for (const spelling of foldings(path)) {
      if (patterns.some(pattern => pattern.test(spelling))) return true;
    }
  }
  return false;
}

/** Upper-then-lower also folds what lower-casing alone leaves (`ſ` -> s). */
function foldings(path: string): string[] {
  const lower = path.toLowerCase();
  const folded = path.toUpperCase().toLowerCase();
  return lower === folded ? [lower] : [lower, folded];
}
