import { callTool, HostileCase, modernRequest, rpc } from './hostileCase';
import {
  forgedCursors,
  HUGE_ARRAY,
  HUGE_STRING,
  LONE_SURROGATES,
  LOOKALIKES,
  REF_INJECTIONS,
  SSRF_URLS,
  TRAVERSALS,
} from './hostileValues';
import {
  baseArguments,
  findsNothing,
  ignored,
  nothingRequired,
  REF_ARGUMENTS,
  says,
  SPECIAL_ARGUMENTS,
} from './samples';
import { ListedTool, PropertySchema } from './surface';

/**
 * Cases for one tool, from its input schema: the arguments as a whole
 * (missing, wrongly shaped, prototype keys), then each argument by its type,
 * limits and name (refs, page paths, URLs, cursors, free text).
 */
export function toolCases(tool: ListedTool): HostileCase[] {
  const properties = tool.inputSchema.properties ?? {};
  const required = tool.inputSchema.required ?? [];
  const base = baseArguments(tool);
  const serveEmpty = required.length === 0 ? nothingRequired : undefined;
  const call = (args: unknown) => callTool(tool.name, args);
  const raw = (json: string) =>
    `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"${tool.name}","arguments":${json}}}`;
  const baseJson = JSON.stringify(base).slice(1, -1);
  const withBase = (entries: string) =>
    `{${baseJson}${baseJson && entries ? ',' : ''}${entries}}`;
  const [firstTyped] = Object.entries(properties).filter(([, s]) => s.type);

  const cases: HostileCase[] = [
    {
      name: `${tool.name}: no arguments at all`,
      body: rpc('tools/call', { name: tool.name }),
      mayServe: serveEmpty,
    },
    { name: `${tool.name}: arguments null`, body: call(null) },
    { name: `${tool.name}: arguments as an array`, body: call([base]) },
    ...required.map((name): HostileCase => ({
      name: `${tool.name}: without required ${name}`,
      body: call({ ...base, [name]: undefined }),
      says: says(name),
    })),
    {
      name: `${tool.name}: an unknown argument`,
      body: call({ ...base, hostileUnknown: HUGE_STRING.slice(0, 1000) }),
      mayServe: ignored,
    },
    {
      name: `${tool.name}: __proto__ holding the arguments`,
      body: raw(`{"__proto__":${JSON.stringify(base)}}`),
      mayServe: serveEmpty,
    },
    {
      name: `${tool.name}: constructor.prototype beside the arguments`,
      body: raw(withBase('"constructor":{"prototype":{"polluted":"yes"}}')),
      mayServe: ignored,
    },
    {
      name: `${tool.name}: a prototype key beside the arguments`,
      body: raw(withBase('"prototype":{"isAdmin":true}')),
      mayServe: ignored,
    },
    ...(firstTyped
      ? [
          {
            name: `${tool.name}: ${firstTyped[0]} wrongly typed, in the 2026-07-28 form`,
            ...modernRequest('tools/call', {
              name: tool.name,
              arguments: {
                ...base,
                [firstTyped[0]]: wrongTypeFor(firstTyped[1]),
              },
            }),
            says: says(firstTyped[0]),
          },
        ]
      : []),
  ];

  for (const [name, schema] of Object.entries(properties)) {
    const withValue = (value: unknown) => call({ ...base, [name]: value });
    const invalid = (what: string, value: unknown): HostileCase => ({
      name: `${tool.name}: ${name} ${what}`,
      body: withValue(value),
      says: says(name),
    });
    if (schema.type) cases.push(invalid('wrongly typed', wrongTypeFor(schema)));
    cases.push(
      ...outOfRange(schema).map(([what, value]) => invalid(what, value)),
    );
    if (REF_ARGUMENTS.has(name)) {
      cases.push(
        ...[...REF_INJECTIONS, ...LOOKALIKES, ...LONE_SURROGATES].map(
          (value): HostileCase => ({
            name: `${tool.name}: ${name} ${JSON.stringify(value)}`,
            body: withValue(value),
          }),
        ),
      );
    }
    if (name === 'path') {
      cases.push(
        ...TRAVERSALS.map(value =>
          invalid(`traversing: ${JSON.stringify(value)}`, value),
        ),
      );
    }
    if (name === 'url') {
      cases.push(
        ...SSRF_URLS.map((value): HostileCase => ({
          name: `${tool.name}: ${name} ${value}`,
          body: withValue(value),
          says: /URL|url|location/i,
        })),
      );
    }
    if (name === 'cursor') {
      cases.push(
        ...forgedCursors(tool.name).map(([what, cursor]) =>
          invalid(`forged: ${what}`, cursor),
        ),
      );
    }
    if (
      schema.type === 'string' &&
      !schema.enum &&
      !schema.pattern &&
      !SPECIAL_ARGUMENTS.has(name)
    ) {
      cases.push(
        ...[
          'User,metadata.namespace=default',
          LOOKALIKES[0],
          LONE_SURROGATES[1],
          'x\u0000\r\nkind: User',
        ].map((value): HostileCase => ({
          name: `${tool.name}: ${name} ${JSON.stringify(value)}`,
          body: withValue(value),
          mayServe: findsNothing,
        })),
      );
    }
    if (schema.type === 'array' && schema.items?.pattern) {
      cases.push(
        ...[
          ['__proto__', 'constructor.prototype'],
          [
            '../../secrets',
            'metadata.annotations.vault.example.com/token-path',
          ],
        ].map((value): HostileCase => ({
          name: `${tool.name}: ${name} ${JSON.stringify(value)}`,
          body: withValue(value),
          mayServe: 'field paths a real entity does not have are left out',
        })),
      );
    }
  }
  return cases;
}

/** A value of another JSON type than the schema's. */
export function wrongTypeFor(schema: PropertySchema): unknown {
  switch (schema.type) {
    case 'string':
      return 12345;
    case 'integer':
    case 'number':
      return '12';
    case 'boolean':
      return 'true';
    case 'array':
      return 'not-an-array';
    case 'object':
      return ['not', 'an', 'object'];
    default:
      return null;
  }
}

/** Values of the right type that break the schema's limits. */
function outOfRange(schema: PropertySchema): Array<[string, unknown]> {
  const cases: Array<[string, unknown]> = [];
  switch (schema.type) {
    case 'string':
      if (schema.maxLength !== undefined)
        cases.push(['200k characters long', HUGE_STRING]);
      if (schema.minLength) cases.push(['empty', '']);
      if (schema.enum) cases.push(['outside its enum', 'SUMMARY']);
      if (schema.pattern) cases.push(['outside its pattern', '../\u0000;*']);
      break;
    case 'integer':
    case 'number':
      if (schema.minimum !== undefined)
        cases.push(['below its minimum', schema.minimum - 1]);
      if (schema.maximum !== undefined)
        cases.push(['above its maximum', schema.maximum + 1]);
      cases.push(['1e308', 1e308], ['-1e308', -1e308]);
      if (schema.type === 'integer') cases.push(['a fraction', 1.5]);
      break;
    case 'array':
      if (schema.maxItems !== undefined)
        cases.push(['with 10000 items', HUGE_ARRAY]);
      if (schema.minItems) cases.push(['empty', []]);
      if (schema.items?.type)
        cases.push(['with a wrongly typed item', [wrongTypeFor(schema.items)]]);
      break;
    case 'object':
      if (schema.propertyNames?.maxLength !== undefined) {
        cases.push(['with a 200k-character key', { [HUGE_STRING]: 'x' }]);
      }
      if (schema.additionalProperties?.maxLength !== undefined) {
        cases.push(['with a 200k-character value', { a: HUGE_STRING }]);
      }
      break;
    default:
  }
  return cases;
}
