/**
 * Values an attacker puts where a name, a path, a URL or a cursor goes.
 * Shared by the hand-written cases and the generators.
 */

/** Past every length limit of the gateway, well inside the 1mb body limit. */
export const HUGE_STRING = 'x'.repeat(200_000);
export const HUGE_ARRAY = Array.from({ length: 10_000 }, (_, i) => `i${i}`);

/** Entity refs carrying separators, filters, wildcards and control characters. */
export const REF_INJECTIONS = [
  'component:default/x,kind=user',
  'component:default/payments-api,metadata.namespace=finance',
  'component%3Adefault%2Fpayments-api',
  'component:default/../payments-api',
  '../../../etc/passwd',
  '*',
  'component:*/*',
  'payments-api\nkind: user',
  'payments-api\u0000',
  "payments-api' OR '1'='1",
  '{"$ne":null}',
  'component:default/payments-api?x=1#y',
];

/** Names that look like real ones, or fold to them, but are other characters. */
export const LOOKALIKES = [
  // Cyrillic 'а' for Latin 'a'.
  'p\u0430yments-api',
  // Fullwidth letters.
  '\uff50\uff41\uff59\uff4d\uff45\uff4e\uff54\uff53-api',
  // Turkish dotless 'ı', which upper-cases to 'I'.
  'payments-ap\u0131',
  // The long 's', which case-folds to 's'.
  'payment\u017f-api',
  // The Kelvin sign, which lower-cases to 'k'.
  'component:default/\u212aafka-cluster',
  // A zero-width space inside.
  'payments\u200b-api',
  // A right-to-left override.
  'payments-api\u202e',
];

/** Lone UTF-16 surrogates: JSON.stringify writes them as `\ud800` escapes. */
export const LONE_SURROGATES = ['\ud800', 'payments-\udc00api', '\udbff\udbff'];

/** Ways out of a TechDocs site, and things a page path must never be. */
export const TRAVERSALS = [
  '../',
  '../../../../etc/passwd',
  'runbook/../../../secrets/',
  '%2e%2e/%2e%2e/etc/passwd',
  '%252e%252e/%252e%252e/',
  '..\\..\\windows\\win.ini',
  '%c0%ae%c0%ae/',
  '\uff0e\uff0e/\uff0e\uff0e/',
  '.git/config',
  'file:///etc/passwd',
  '//evil.example/x',
  'runbook/?q=1',
  'runbook/%00/',
  'runbook/\u0000',
];

/** Places a location URL could make the catalog fetch from, or not a URL at all. */
export const SSRF_URLS = [
  'http://169.254.169.254/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://[::1]/catalog-info.yaml',
  'http://[::ffff:127.0.0.1]/catalog-info.yaml',
  'http://0x7f000001/catalog-info.yaml',
  'http://2130706433/catalog-info.yaml',
  'http://017700000001/catalog-info.yaml',
  'http://127.1/catalog-info.yaml',
  'http://0/catalog-info.yaml',
  'http://localhost:7007/api/catalog/entities',
  'http://10.0.0.1/catalog-info.yaml',
  'http://localhost@evil.example/catalog-info.yaml',
  'https://user:secret@github.com/acme/x/catalog-info.yaml',
  'https://github.com\\@evil.example/catalog-info.yaml',
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_INFO',
  // eslint-disable-next-line no-script-url
  'javascript:alert(1)',
  'http://github.com%0d%0aHost:evil.example/x.yaml',
];

/** Object keys that mean something to JavaScript objects. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'];

const base64Json = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Cursors no page of `tool` ever returned: garbage, other tools' cursors,
 * offsets out of range, extra or wrongly typed envelope fields.
 */
export function forgedCursors(tool: string): Array<[string, string]> {
  return [
    ['garbage', 'not-a-cursor'],
    ['empty', ''],
    ['base64 of an array', base64Json([])],
    ['base64 of null', base64Json(null)],
    ["another tool's", base64Json({ t: 'some_other_tool', q: {}, o: 0 })],
    ['a negative offset', base64Json({ t: tool, q: {}, o: -1 })],
    ['a huge offset', base64Json({ t: tool, q: {}, o: 1e12 })],
    ['a fractional offset', base64Json({ t: tool, q: {}, o: 0.5 })],
    ['an offset as text', base64Json({ t: tool, q: {}, o: '0' })],
    ['an extra envelope key', base64Json({ t: tool, q: {}, o: 0, x: 1 })],
    [
      'a __proto__ envelope',
      Buffer.from(`{"__proto__":{"t":"${tool}","o":0},"q":{}}`).toString(
        'base64url',
      ),
    ],
    ['a longer-than-allowed one', 'A'.repeat(5000)],
  ];
}
