import fc from 'fast-check';
import { CORRIDOR_METHODS } from '../../protocol/mcpServerFactory';
import { CURRENT, Era, HostileCase, inEra, MODERN, rpc } from './hostileCase';
import {
  HUGE_STRING,
  LONE_SURROGATES,
  LOOKALIKES,
  PROTOTYPE_KEYS,
  REF_INJECTIONS,
  SSRF_URLS,
  TRAVERSALS,
} from './hostileValues';
import { STACK_TRACE } from './invariants';
import {
  expand,
  ListedPrompt,
  PropertySchema,
  Surface,
  variablesOf,
} from './surface';
import { SAMPLES, says } from './samples';

/** A family of generated cases, and how many of them one run tries. */
export interface GeneratedFamily {
  name: string;
  arbitrary: fc.Arbitrary<HostileCase>;
  numRuns: number;
}

// Shrinking replays cases against the backend: a few dozen steps suffice.
const SHRINK_STEPS = 40;

const era = fc.constantFrom<Era>(CURRENT, MODERN);

/** One character an attacker likes, or any code point at all. */
const hostileChar = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: 0xd800, max: 0xdfff })
      .map(code => String.fromCharCode(code)),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      ...'/:,=*%.\\\n\r\u0000\'"${}[]<>?#&;| '.split(''),
      '\u212a',
      '\u0131',
      '\u017f',
      '\u0430',
      '\uff0e',
      '\u202e',
      '\u200b',
    ),
  },
);

/** Strings an attacker sends: random, known-hostile, or far too long. */
const hostileString = fc
  .oneof(
    { weight: 5, arbitrary: fc.string({ unit: hostileChar, maxLength: 40 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        ...REF_INJECTIONS,
        ...LOOKALIKES,
        ...LONE_SURROGATES,
        ...TRAVERSALS,
        ...SSRF_URLS,
        ...PROTOTYPE_KEYS,
      ),
    },
    { weight: 1, arbitrary: fc.constant(HUGE_STRING) },
  )
  // A generated "node_modules/" would read as a leaked path.
  .filter(text => !STACK_TRACE.test(text));

const hostileKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.string({ unit: hostileChar, maxLength: 20 }),
);

/** Any JSON value but one of this JSON Schema type. */
function wrongValueFor(schema: PropertySchema): fc.Arbitrary<unknown> {
  const byType: Record<string, fc.Arbitrary<unknown>> = {
    string: hostileString,
    number: fc.double(),
    boolean: fc.boolean(),
    null: fc.constant(null),
    array: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
    object: fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), {
      maxKeys: 5,
    }),
  };
  const own = schema.type === 'integer' ? 'number' : schema.type;
  return fc.oneof(
    ...Object.entries(byType)
      // A number is a wrong integer only if it is not a whole one.
      .filter(([type]) => type !== own)
      .map(([, arbitrary]) => arbitrary),
  );
}

/** A value of the schema's type that an attacker chose. */
function hostileValueFor(schema: PropertySchema): fc.Arbitrary<unknown> {
  switch (schema.type) {
    case 'string':
      return schema.enum
        ? fc.oneof(fc.constantFrom(...(schema.enum as string[])), hostileString)
        : hostileString;
    case 'integer':
    case 'number':
      return fc.oneof(
        fc.integer(),
        fc.integer({ min: schema.minimum ?? 0, max: schema.maximum ?? 100 }),
        fc.constantFrom(
          (schema.minimum ?? 0) - 1,
          (schema.maximum ?? 0) + 1,
          2 ** 53,
          -(2 ** 53),
          1e308,
        ),
        fc.double({ noNaN: true, noDefaultInfinity: true }),
      );
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(
        schema.items ? hostileValueFor(schema.items) : fc.jsonValue(),
        { maxLength: 40 },
      );
    case 'object':
      return fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 3 }), {
        maxKeys: 8,
      });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Arguments of a tool: some of its own, each hostile, and hostile extra keys. */
function hostileArguments(
  properties: Record<string, PropertySchema>,
): fc.Arbitrary<Record<string, unknown>> {
  const own = Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => [
      name,
      hostileValueFor(schema),
    ]),
  );
  return fc
    .tuple(
      fc.record(own, { requiredKeys: [] }),
      fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    )
    .map(([args, extra]) => ({ ...extra, ...args }));
}

/** A generated case, printed short when fast-check reports it. */
function generated(
  family: string,
  kase: Omit<HostileCase, 'name'>,
): HostileCase {
  const text = typeof kase.body === 'string' ? kase.body : '<bytes>';
  const name = `${family}: ${text.length > 300 ? `${text.slice(0, 300)}…` : text}`;
  return Object.assign(
    { name, ...kase },
    { [fc.toStringMethod]: () => `${name} (${text.length} characters)` },
  );
}

/** What the gateway serves: the corridor's methods and the SDK's own. */
const SERVED_METHODS = [...CORRIDOR_METHODS, 'ping', 'initialize'];

/** Requests broken in one chosen way, or bodies that are no request at all. */
const malformedBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ unit: hostileChar, maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map(value => JSON.stringify(value) ?? 'null'),
  fc
    .record({
      defect: fc.constantFrom('jsonrpc', 'id', 'method', 'params'),
      method: fc.constantFrom(...SERVED_METHODS),
      id: fc.oneof(fc.integer(), fc.string({ maxLength: 20 })),
      params: fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }),
      wrongJsonrpc: fc.jsonValue({ maxDepth: 1 }).filter(v => v !== '2.0'),
      wrongId: fc.oneof(
        fc.boolean(),
        fc.array(fc.integer(), { maxLength: 2 }),
        fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
      ),
      unknownMethod: hostileString.filter(
        m => !SERVED_METHODS.includes(m) && !m.startsWith('notifications/'),
      ),
      wrongParams: fc.oneof(
        hostileString,
        fc.integer(),
        fc.boolean(),
        fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
      ),
    })
    .map(r =>
      JSON.stringify({
        jsonrpc: r.defect === 'jsonrpc' ? r.wrongJsonrpc : '2.0',
        id: r.defect === 'id' ? r.wrongId : r.id,
        method: r.defect === 'method' ? r.unknownMethod : r.method,
        params: r.defect === 'params' ? r.wrongParams : r.params,
      }),
    ),
);

/** Alphanumeric text around one character no ref part or page path may hold. */
function brokenPart(badCharacters: string[]) {
  const plain = fc.string({
    unit: fc.constantFrom(...'abcxyz019-_'.split('')),
    maxLength: 8,
  });
  return fc
    .tuple(plain, fc.constantFrom(...badCharacters), plain)
    .map(parts => parts.join(''));
}

const badInRefPart = [
  '/',
  ':',
  '%2F',
  '%00',
  '%',
  '*',
  ' ',
  '?',
  '#',
  '\\',
  '\u0430',
  '\ud800',
  '\u212a',
];
// Not '/', '#', '%2F' or ' ': those can still name the site's home page.
const badInPagePath = [
  '..',
  '%2e%2e',
  '%00',
  '*',
  '?',
  '\\',
  ':',
  '\ud800',
  '\u202e',
];

function resourceUri(
  templates: Surface['resourceTemplates'],
): fc.Arbitrary<string> {
  return fc.constantFrom(...templates).chain(template => {
    const variables = variablesOf(template.uriTemplate);
    return fc
      .tuple(
        fc.constantFrom(...variables),
        fc.record(
          Object.fromEntries(
            variables.map(v => [
              v,
              fc.oneof(fc.constant(SAMPLES[v] ?? 'x'), hostileString),
            ]),
          ),
        ),
        brokenPart(badInRefPart),
        brokenPart(badInPagePath),
      )
      .map(([broken, values, refPart, pagePath]) =>
        expand(template.uriTemplate, {
          ...values,
          [broken]: broken === 'path' ? pagePath : refPart,
        }),
      );
  });
}

function promptGet(prompts: ListedPrompt[]): fc.Arbitrary<HostileCase> {
  return fc.constantFrom(...prompts).chain(prompt => {
    const args = prompt.arguments ?? [];
    const values = fc.record(
      Object.fromEntries(
        args.map(arg => [
          arg.name,
          fc.oneof(fc.constant(SAMPLES[arg.name] ?? 'x'), hostileString),
        ]),
      ),
      { requiredKeys: [] },
    );
    // Broken for sure: too long for any argument, or no string at all.
    const broken = fc.oneof(
      fc.constant(`${HUGE_STRING.slice(0, 1000)}\n`),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 2 }),
      fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
    );
    return fc
      .tuple(
        values,
        fc.constantFrom(...args.map(arg => arg.name), 'hostileUnknown'),
        broken,
        era,
      )
      .map(([given, name, value, when]) =>
        generated(`prompt ${prompt.name}`, {
          ...inEra(when, 'prompts/get', {
            name: prompt.name,
            arguments: { ...given, [name]: value },
          }),
          ...(name === 'hostileUnknown' && {
            mayServe: 'an unknown argument is dropped; the rest may be valid',
          }),
        }),
      );
  });
}

const base64Json = (value: unknown) =>
  Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url');

/** Cursors no page returned: never a whole offset in range of the right tool. */
const forgedCursor: fc.Arbitrary<string> = fc.oneof(
  hostileString,
  fc.jsonValue({ maxDepth: 3 }).map(base64Json),
  fc
    .uint8Array({ maxLength: 120 })
    .map(b => Buffer.from(b).toString('base64url')),
  fc
    .record({
      t: fc.oneof(fc.constant('search_catalog'), hostileString),
      q: fc.dictionary(hostileKey, fc.jsonValue({ maxDepth: 2 }), {
        maxKeys: 4,
      }),
      o: fc.oneof(
        fc.integer({ max: -1 }),
        fc.integer({ min: 1_000_001 }),
        fc.double({ min: 0.1, max: 1e6, noInteger: true }),
        fc.string({ maxLength: 5 }),
      ),
    })
    .map(base64Json),
);

/**
 * The generated families, built from the surface the gateway offers: every
 * tool, resource template and prompt it lists.
 */
export function generatedFamilies(surface: Surface): GeneratedFamily[] {
  const tools = surface.tools.map(tool => ({
    name: tool.name,
    properties: tool.inputSchema.properties ?? {},
  }));
  const typedTools = tools.filter(tool =>
    Object.values(tool.properties).some(schema => schema.type),
  );
  const cursorTargets = [
    ...tools.filter(tool => 'cursor' in tool.properties).map(t => t.name),
    'resources/list',
  ];

  return [
    {
      name: 'a tool call with one wrongly typed argument',
      numRuns: 40,
      arbitrary: fc
        .tuple(fc.constantFrom(...typedTools), era)
        .chain(([tool, when]) =>
          fc
            .constantFrom(
              ...Object.entries(tool.properties).filter(([, s]) => s.type),
            )
            .chain(([name, schema]) =>
              fc
                .tuple(hostileArguments(tool.properties), wrongValueFor(schema))
                .map(([args, wrong]) =>
                  generated('wrongly typed', {
                    ...inEra(when, 'tools/call', {
                      name: tool.name,
                      arguments: { ...args, [name]: wrong },
                    }),
                    says: says(name),
                  }),
                ),
            ),
        ),
    },
    {
      name: 'a tool call with hostile values of the right types',
      numRuns: 40,
      arbitrary: fc
        .tuple(fc.constantFrom(...tools), era)
        .chain(([tool, when]) =>
          hostileArguments(tool.properties).map(args =>
            generated('hostile values', {
              ...inEra(when, 'tools/call', {
                name: tool.name,
                arguments: args,
              }),
              mayServe:
                'values of the right types: a tool may find nothing and say so',
            }),
          ),
        ),
    },
    {
      name: 'a body that is not a valid JSON-RPC request',
      numRuns: 40,
      arbitrary: malformedBody.map(body =>
        generated('malformed body', { body }),
      ),
    },
    {
      name: 'a resource URI with a hostile part',
      numRuns: 25,
      arbitrary: resourceUri(surface.resourceTemplates).map(uri =>
        generated('resource URI', { body: rpc('resources/read', { uri }) }),
      ),
    },
    {
      name: 'prompts/get with a broken argument',
      numRuns: 20,
      arbitrary: promptGet(surface.prompts),
    },
    {
      name: 'a forged cursor',
      numRuns: 30,
      arbitrary: fc
        .tuple(fc.constantFrom(...cursorTargets), forgedCursor, era)
        .map(([target, cursor, when]) =>
          generated(`forged cursor for ${target}`, {
            ...(target === 'resources/list'
              ? inEra(when, 'resources/list', { cursor })
              : inEra(when, 'tools/call', {
                  name: target,
                  arguments: { cursor },
                })),
            says: /cursor/,
          }),
        ),
    },
  ].map(family => ({
    ...family,
    arbitrary: fc.limitShrink(family.arbitrary, SHRINK_STEPS),
  }));
}
