import { callTool, HostileCase, rpc } from './hostileCase';
import { Surface } from './surface';

const base64Json = (value: unknown) =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

const wellFormed =
  'a well-formed cursor is a query and an offset, checked as first-page arguments are';

/**
 * Hand-written cases that need the real thing behind a tool: a template's
 * parameters, and cursors well-formed enough to reach the catalog and the
 * task store with extreme positions.
 */
export function specificCases(surface: Surface): HostileCase[] {
  const has = (tool: string) => surface.tools.some(t => t.name === tool);
  return [
    ...surface.templates.flatMap(templateCases),
    ...(has('search_catalog')
      ? [
          {
            name: 'search_catalog: a well-formed cursor with a quote-laden filter and the last offset',
            body: callTool('search_catalog', {
              cursor: base64Json({
                t: 'search_catalog',
                q: { term: 'pay', kind: "Component' OR '1'='1" },
                o: 1_000_000,
              }),
            }),
            mayServe: wellFormed,
          },
        ]
      : []),
    ...(has('list_entities')
      ? [
          {
            name: 'list_entities: a well-formed cursor filtering on the annotation __proto__',
            body: callTool('list_entities', {
              cursor: base64Json({
                t: 'list_entities',
                q: { annotation: '__proto__', orderBy: 'name', order: 'asc' },
                o: 0,
              }),
            }),
            mayServe: wellFormed,
          },
        ]
      : []),
    ...(has('list_tasks')
      ? [
          {
            name: 'list_tasks: a well-formed cursor at the largest position, with SQL in its task id',
            body: callTool('list_tasks', {
              cursor: base64Json({
                t: 'list_tasks',
                c: Number.MAX_SAFE_INTEGER,
                i: "x' OR '1'='1",
              }),
            }),
            mayServe: wellFormed,
          },
          {
            name: 'list_tasks: a well-formed cursor with a status outside its enum',
            body: callTool('list_tasks', {
              cursor: base64Json({ t: 'list_tasks', s: 'all', c: 0, i: '' }),
            }),
            says: /cursor/,
          },
        ]
      : []),
    {
      name: 'resources/list: a well-formed cursor at the last offset',
      body: rpc('resources/list', {
        cursor: base64Json({ t: 'resources/list', q: {}, o: 1_000_000 }),
      }),
      mayServe: wellFormed,
    },
  ];
}

/**
 * run_template (always a dry run, so nothing starts even by mistake) and
 * get_template with values a template's parameters refuse.
 */
function templateCases(templateRef: string): HostileCase[] {
  const run = (values: string, secrets = '{}') =>
    `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"run_template","arguments":{"templateRef":${JSON.stringify(templateRef)},"dryRun":true,"values":${values},"secrets":${secrets}}}}`;
  const refused = (what: string, body: string): HostileCase => ({
    name: `run_template ${templateRef}: ${what}`,
    body,
    says: /values|secrets/,
  });
  return [
    refused('no values', run('{}')),
    refused(
      'every value of the wrong type',
      run('{"name":5,"owner":[],"port":"x","description":{"a":1}}'),
    ),
    refused(
      'a name that traverses, a port out of range',
      run('{"name":"../../etc/passwd","owner":"sre","port":1e308}'),
    ),
    refused(
      '__proto__ holding the values',
      run('{"__proto__":{"name":"svc-x","owner":"sre"}}'),
    ),
    refused(
      'constructor.prototype among the values',
      run('{"constructor":{"prototype":{"polluted":"yes"}},"name":"svc-x"}'),
    ),
    refused(
      'every parameter a secret might be, in values',
      run(
        '{"deployToken":"0123456789abcdef0123","token":"0123456789abcdef0123","password":"0123456789abcdef0123"}',
      ),
    ),
    refused(
      '__proto__ holding the secrets',
      run(
        '{"name":"svc-x"}',
        '{"__proto__":{"deployToken":"0123456789abcdef0123"}}',
      ),
    ),
    refused(
      'a 200k-character value',
      run(JSON.stringify({ name: 'n'.repeat(200_000) })),
    ),
    {
      name: `get_template ${templateRef}: with unknown arguments`,
      body: callTool('get_template', { templateRef, values: { x: 1 }, __x: 1 }),
      mayServe: 'unknown keys are dropped: reading a template is allowed',
    },
  ];
}
