import { deflateSync, gzipSync } from 'node:zlib';
import {
  callTool,
  HostileCase,
  modernRequest,
  MODERN,
  rpc,
  STRANGER,
} from './hostileCase';
import { forgedCursors, HUGE_STRING } from './hostileValues';

const whoAmI = () => callTool('who_am_i', {});
const badGetEntity = () => callTool('get_entity', { ref: 42 });
const versions = /2026-07-28[^]*2025-11-25|2025-11-25[^]*2026-07-28/;
const originFirst =
  'Origin is checked before identity, so the refusal names no caller';
const notifications =
  'a JSON-RPC notification is answered 202 with no body (and audited, as every request is)';

/** `levels` arrays nested inside the arguments of a tools/call. */
function nestedArrays(levels: number): string {
  return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"who_am_i","arguments":{"a":${'['.repeat(levels)}${']'.repeat(levels)}}}}`;
}

function nestedObjects(levels: number): string {
  return `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"who_am_i","arguments":{"a":${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}}}}`;
}

/**
 * Hand-written cases at the protocol level, the same whatever tools exist:
 * bodies that are not JSON or not JSON-RPC, headers that lie, bodies too
 * big or too deep, batches, protocol versions, and callers with no agent.
 */
export function protocolCases(): HostileCase[] {
  return [
    ...unreadableBodies(),
    ...wrongShapes(),
    ...unservedMethods(),
    ...callExtras(),
    ...wrongHeaders(),
    ...batches(),
    ...versionCases(),
    ...modernCases(),
    ...callerCases(),
    ...listingCursors(),
  ];
}

function unreadableBodies(): HostileCase[] {
  const gzipBomb = gzipSync(Buffer.alloc(50_000_000, ' '));
  return [
    {
      name: 'malformed JSON: cut short',
      body: '{"jsonrpc": "2.0", "id": 1, "method": ',
      status: 400,
      code: -32700,
    },
    {
      name: 'malformed JSON: trailing garbage',
      body: `${rpc('tools/list')} trailing`,
      status: 400,
    },
    {
      name: 'malformed JSON: single quotes',
      body: "{'jsonrpc': '2.0', 'id': 1, 'method': 'tools/list'}",
      status: 400,
    },
    {
      name: 'malformed JSON: a lone surrogate written raw (fetch sends U+FFFD)',
      body: `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_entity","arguments":{"ref":"\ud800"}}}`,
    },
    { name: 'an empty body', body: '', status: 400 },
    { name: 'JSON that is a string', body: '"tools/list"', status: 400 },
    { name: 'JSON that is a number', body: '42', status: 400 },
    { name: 'JSON that is null', body: 'null', status: 400 },
    { name: 'JSON that is true', body: 'true', status: 400 },
    {
      name: 'a body over 1mb',
      body: callTool('who_am_i', { pad: 'x'.repeat(1_100_000) }),
      status: 413,
    },
    {
      name: 'a gzip body holding a hostile call',
      body: gzipSync(badGetEntity()),
      headers: { 'content-encoding': 'gzip' },
      says: /ref/,
    },
    {
      name: 'a gzip body that is not gzip',
      body: whoAmI(),
      headers: { 'content-encoding': 'gzip' },
      status: 400,
    },
    {
      name: 'a gzip bomb (50 MB of spaces)',
      body: gzipBomb,
      headers: { 'content-encoding': 'gzip' },
      status: 413,
    },
    {
      name: 'a deflate bomb',
      body: deflateSync(Buffer.alloc(50_000_000, ' ')),
      headers: { 'content-encoding': 'deflate' },
      status: 413,
    },
    {
      name: 'a gzip body declared as identity',
      body: gzipSync(whoAmI()),
      headers: { 'content-encoding': 'identity' },
      status: 400,
    },
    {
      name: 'Content-Encoding br',
      body: whoAmI(),
      headers: { 'content-encoding': 'br' },
      status: 415,
    },
    {
      name: 'two content encodings, the second unsupported',
      body: gzipSync(whoAmI()),
      headers: { 'content-encoding': 'gzip, x-hostile' },
      status: 415,
    },
    {
      name: 'charset latin1',
      body: whoAmI(),
      headers: { 'content-type': 'application/json; charset=latin1' },
      status: 415,
    },
    {
      name: 'arrays nested 100 deep',
      body: nestedArrays(100),
      status: 400,
      says: /nested more than/,
    },
    {
      name: 'objects nested 10000 deep',
      body: nestedObjects(10_000),
      status: 400,
      says: /nested more than/,
    },
  ];
}

function wrongShapes(): HostileCase[] {
  const request = (fields: Record<string, unknown>) =>
    JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', ...fields });
  return [
    {
      name: 'no jsonrpc member',
      body: JSON.stringify({ id: 1, method: 'tools/list' }),
      status: 400,
    },
    { name: 'jsonrpc "1.0"', body: request({ jsonrpc: '1.0' }), status: 400 },
    { name: 'jsonrpc as a number', body: request({ jsonrpc: 2 }), status: 400 },
    { name: 'id as an object', body: request({ id: { a: 1 } }), status: 400 },
    { name: 'id as an array', body: request({ id: [1] }), status: 400 },
    { name: 'id as a boolean', body: request({ id: true }), status: 400 },
    { name: 'id as a fraction', body: request({ id: 1.5 }) },
    {
      name: 'id as a 100k string, on a refused call',
      body: rpc(
        'tools/call',
        { name: 'get_entity', arguments: { ref: 42 } },
        'i'.repeat(100_000),
      ),
      says: /ref/,
    },
    { name: 'method as a number', body: request({ method: 7 }), status: 400 },
    { name: 'method empty', body: request({ method: '' }) },
    { name: 'method unknown', body: rpc('hostile/explode'), code: -32601 },
    { name: 'method __proto__', body: rpc('__proto__'), code: -32601 },
    { name: 'method constructor', body: rpc('constructor'), code: -32601 },
    { name: 'method toString', body: rpc('toString'), code: -32601 },
    {
      name: 'method with a NUL and a newline',
      body: rpc('tools/list\u0000\nx'),
    },
    { name: 'method huge', body: rpc(HUGE_STRING) },
    {
      name: 'params as an array',
      body: rpc('tools/call', [{ name: 'who_am_i' }]),
      status: 400,
    },
    { name: 'params as a string', body: rpc('tools/call', 'who_am_i') },
    { name: 'params null', body: rpc('tools/call', null) },
    { name: 'tools/call without params', body: rpc('tools/call') },
    { name: 'tools/call with name as a number', body: callTool(7, {}) },
    { name: 'tools/call with name null', body: callTool(null, {}) },
    {
      name: 'tools/call with arguments as an array',
      body: callTool('who_am_i', [1]),
    },
    {
      name: 'tools/call with arguments as a string',
      body: callTool('who_am_i', '{}'),
    },
    { name: 'tools/call of an unknown tool', body: callTool('drop_catalog') },
    {
      name: 'tools/call of a tool named with traversal',
      body: callTool('../who_am_i', {}),
    },
    {
      name: 'tools/call of a tool named __proto__',
      body: callTool('__proto__', {}),
    },
    {
      name: 'tools/call of a tool named constructor',
      body: callTool('constructor', {}),
    },
    {
      name: 'tools/call of a lookalike of who_am_i (Cyrillic о)',
      body: callTool('wh\u043e_am_i', {}),
    },
    {
      name: 'tools/call of who_am_i in upper case',
      body: callTool('WHO_AM_I', {}),
    },
    {
      name: 'tools/call of a tool named with a lone surrogate',
      body: callTool('who_am_i\udc00', {}),
    },
    {
      name: 'tools/call of a 200k-character tool name',
      body: callTool(HUGE_STRING, {}),
    },
    {
      name: 'duplicate keys: method given twice',
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list","method":"tools/call"}',
    },
    {
      name: '__proto__ at the top of the request',
      body: '{"__proto__":{"method":"tools/call"},"jsonrpc":"2.0","id":1,"params":{"name":"who_am_i"}}',
      status: 400,
    },
    {
      name: '__proto__ in params smuggling a tool name',
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"__proto__":{"name":"refresh_entity"},"arguments":{"ref":"payments-api"}}}',
    },
    {
      name: 'constructor.prototype in params',
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"get_entity","constructor":{"prototype":{"polluted":"yes"}},"arguments":{}}}',
      says: /ref/,
    },
    {
      name: 'a request with both result and error (a response sent as a request)',
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/list',
        result: {},
        error: { code: 1, message: 'x' },
      }),
    },
    {
      name: 'a notification calling a write tool',
      body: JSON.stringify({
        jsonrpc: '2.0',
        method: 'tools/call',
        params: { name: 'refresh_entity', arguments: { ref: 'payments-api' } },
      }),
      mayServe: notifications,
    },
    {
      name: 'a notification of an unknown method',
      body: JSON.stringify({ jsonrpc: '2.0', method: 'hostile/explode' }),
      mayServe: notifications,
    },
    {
      name: 'a JSON-RPC response sent to the server',
      body: JSON.stringify({ jsonrpc: '2.0', id: 99, result: {} }),
      mayServe:
        'a response is answered 202 with no body, as the transport must',
    },
    {
      name: 'ping with params that are not an object',
      body: rpc('ping', 'x'),
    },
    {
      name: 'initialize with a protocol version that never existed',
      body: rpc('initialize', {
        protocolVersion: '1999-01-01',
        capabilities: {},
        clientInfo: { name: 'hostile', version: '1' },
      }),
      // The spec has the server answer with a version it supports.
      mayServe: 'initialize answers with a version the server supports',
    },
    {
      name: 'initialize without clientInfo or capabilities',
      body: rpc('initialize', { protocolVersion: '2025-11-25' }),
    },
  ];
}

/** Methods of the protocol the gateway does not serve, or that go the other way. */
function unservedMethods(): HostileCase[] {
  return [
    [
      'resources/subscribe',
      { uri: 'backstage://entity/component/default/payments-api' },
    ],
    ['resources/unsubscribe', { uri: 'file:///etc/passwd' }],
    ['logging/setLevel', { level: 'hostile' }],
    [
      'completion/complete',
      {
        ref: { type: 'ref/prompt', name: '__proto__' },
        argument: { name: 'service', value: '../' },
      },
    ],
    ['sampling/createMessage', { messages: [], maxTokens: 1 }],
    [
      'elicitation/create',
      { message: 'give me your token', requestedSchema: {} },
    ],
    ['roots/list', {}],
    ['tasks/get', { taskId: '../../etc/passwd' }],
    ['tasks/list', { cursor: 'forged' }],
    ['tasks/cancel', { taskId: '00000000-0000-4000-8000-000000000000' }],
  ].map(([method, params]): HostileCase => ({
    name: `${method}, which the gateway does not serve`,
    body: rpc(method, params),
  }));
}

/** Request-level `_meta` and task fields a tools/call may carry. */
function callExtras(): HostileCase[] {
  const call = (extra: Record<string, unknown>) =>
    rpc('tools/call', { name: 'get_entity', arguments: { ref: 42 }, ...extra });
  return [
    {
      name: 'tools/call with a progress token that is an object',
      body: call({ _meta: { progressToken: { a: 1 } } }),
    },
    {
      name: 'tools/call with a 100k progress token',
      body: call({ _meta: { progressToken: 'p'.repeat(100_000) } }),
      says: /ref/,
    },
    {
      name: 'tools/call with _meta that is a string',
      body: call({ _meta: 'hostile' }),
    },
    {
      name: 'tools/call asking to run as a task with a negative ttl',
      body: call({ task: { ttl: -1 } }),
    },
    {
      name: 'tools/call asking to run as a task of a write tool',
      body: rpc('tools/call', {
        name: 'refresh_entity',
        arguments: { ref: 42 },
        task: { ttl: 60_000 },
      }),
    },
  ];
}

function wrongHeaders(): HostileCase[] {
  return [
    {
      name: 'Content-Type text/plain',
      body: whoAmI(),
      headers: { 'content-type': 'text/plain' },
      status: 415,
    },
    {
      name: 'no Content-Type',
      body: whoAmI(),
      headers: { 'content-type': null },
      status: 415,
    },
    {
      name: 'Content-Type of a form',
      body: 'jsonrpc=2.0&id=1&method=tools/list',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      status: 415,
    },
    {
      name: 'Accept text/html only',
      body: whoAmI(),
      headers: { accept: 'text/html' },
      status: 406,
    },
    {
      name: 'no Accept',
      body: whoAmI(),
      headers: { accept: null },
    },
    {
      name: 'an Origin that is not allowed',
      body: whoAmI(),
      headers: { origin: 'https://evil.example' },
      status: 403,
      unattributed: originFirst,
    },
    {
      name: 'Origin null',
      body: whoAmI(),
      headers: { origin: 'null' },
      status: 403,
      unattributed: originFirst,
    },
    {
      name: 'an Mcp-Session-Id nobody issued',
      body: badGetEntity(),
      headers: { 'mcp-session-id': 'forged-session' },
    },
  ];
}

function batches(): HostileCase[] {
  const legacy = { 'mcp-protocol-version': '2025-03-26' };
  return [
    {
      name: 'a 2025-03-26 batch of hostile parts',
      body: `[${badGetEntity()},${rpc('hostile/explode')},${callTool('drop_catalog', {})}]`,
      headers: legacy,
    },
    {
      name: 'a 2025-03-26 batch of things that are not requests',
      body: '[1, "two", null, [], {}]',
      headers: legacy,
    },
    {
      name: 'a batch sent as 2025-11-25',
      body: `[${whoAmI()},${whoAmI()}]`,
      status: 400,
    },
    { name: 'an empty batch', body: '[]', headers: legacy, status: 400 },
    {
      name: 'a batch of 21 parts',
      body: `[${Array.from({ length: 21 }, (_, i) => rpc('tools/list', undefined, i)).join(',')}]`,
      headers: legacy,
      status: 400,
    },
    {
      name: 'a batch whose ids repeat',
      body: `[${rpc('tools/list', undefined, 5)},${rpc('tools/list', undefined, 5)}]`,
      headers: legacy,
      status: 400,
    },
  ];
}

function versionCases(): HostileCase[] {
  return [
    {
      name: 'MCP-Protocol-Version 1999-01-01',
      body: badGetEntity(),
      headers: { 'mcp-protocol-version': '1999-01-01' },
      status: 400,
      says: versions,
    },
    {
      name: 'MCP-Protocol-Version that is not a date',
      body: badGetEntity(),
      headers: { 'mcp-protocol-version': "latest'; DROP TABLE audit;--" },
      status: 400,
      says: versions,
    },
    {
      name: 'MCP-Protocol-Version 2099-01-01',
      body: badGetEntity(),
      headers: { 'mcp-protocol-version': '2099-01-01' },
      status: 400,
      says: versions,
    },
    {
      name: 'a per-request _meta claim of 2099-01-01',
      ...modernRequest(
        'tools/list',
        {},
        {
          'io.modelcontextprotocol/protocolVersion': '2099-01-01',
        },
      ),
      headers: {
        'mcp-protocol-version': '2099-01-01',
        'mcp-method': 'tools/list',
      },
      status: 400,
      says: versions,
      dataSays: /"supported":\[[^\]]*"2026-07-28"[^\]]*\]/,
    },
    {
      name: 'a per-request _meta claim of 2099-01-01 under a 2026-07-28 header',
      ...modernRequest(
        'tools/list',
        {},
        {
          'io.modelcontextprotocol/protocolVersion': '2099-01-01',
        },
      ),
      status: 400,
    },
  ];
}

/** Raw requests in the 2026-07-28 form: per-request `_meta`, mirrored headers. */
function modernCases(): HostileCase[] {
  const unknown = modernRequest('hostile/explode');
  const getEntity = modernRequest('tools/call', {
    name: 'get_entity',
    arguments: { ref: ['payments-api'] },
  });
  return [
    {
      name: '2026-07-28: an unknown method',
      ...unknown,
      status: 404,
      code: -32601,
    },
    {
      name: '2026-07-28: tools/call with a wrongly typed argument',
      ...getEntity,
      says: /ref/,
    },
    {
      name: '2026-07-28: Mcp-Name naming another tool than the body',
      ...getEntity,
      headers: { ...getEntity.headers, 'mcp-name': 'refresh_entity' },
      status: 400,
    },
    {
      name: '2026-07-28: no Mcp-Method header',
      ...getEntity,
      headers: { ...getEntity.headers, 'mcp-method': null },
      status: 400,
    },
    {
      name: '2026-07-28: Mcp-Method naming another method than the body',
      ...getEntity,
      headers: { ...getEntity.headers, 'mcp-method': 'tools/list' },
      status: 400,
    },
    {
      name: '2026-07-28: no clientCapabilities in _meta',
      ...modernRequest(
        'tools/list',
        {},
        {
          'io.modelcontextprotocol/clientCapabilities': undefined,
        },
      ),
      status: 400,
    },
    {
      name: '2026-07-28: clientInfo that is a string',
      ...modernRequest(
        'tools/list',
        {},
        {
          'io.modelcontextprotocol/clientInfo': 'hostile',
        },
      ),
    },
    {
      name: '2026-07-28: protocolVersion claimed as a number',
      ...modernRequest(
        'tools/list',
        {},
        {
          'io.modelcontextprotocol/protocolVersion': 20260728,
        },
      ),
    },
    {
      name: '2026-07-28: _meta that is an array',
      body: rpc('tools/list', { _meta: [MODERN] }),
      headers: { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
    },
    {
      name: '2026-07-28: a header claim with no _meta in the body',
      body: rpc('tools/list'),
      headers: { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
    },
    {
      name: '2026-07-28: _meta with a __proto__ key',
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"_meta":{"__proto__":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"},"io.modelcontextprotocol/clientCapabilities":{}}}}',
      headers: { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
    },
    {
      name: '2026-07-28: a 2026 envelope under a 2025-11-25 header',
      ...modernRequest('tools/list'),
      headers: {
        'mcp-protocol-version': '2025-11-25',
        'mcp-method': 'tools/list',
      },
    },
    {
      name: '2026-07-28: initialize',
      ...modernRequest('initialize', {
        protocolVersion: MODERN,
        capabilities: {},
        clientInfo: { name: 'hostile', version: '1' },
      }),
    },
    {
      name: '2026-07-28: a batch',
      body: `[${modernRequest('tools/list').body}]`,
      headers: { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
      status: 400,
    },
    {
      name: '2026-07-28: an Mcp-Name that is 8k characters long',
      ...getEntity,
      headers: { ...getEntity.headers, 'mcp-name': 'n'.repeat(8000) },
    },
  ];
}

function callerCases(): HostileCase[] {
  return [
    { name: 'no credentials', body: badGetEntity(), as: null, status: 401 },
    {
      name: 'a token Backstage does not accept',
      body: badGetEntity(),
      as: null,
      headers: { authorization: 'Bearer forged.token.value' },
      status: 401,
    },
    {
      name: 'a Basic authorization header',
      body: badGetEntity(),
      as: null,
      headers: { authorization: 'Basic aG9zdGlsZTpwYXNz' },
      status: 401,
    },
    {
      name: 'an 8k bearer token',
      body: badGetEntity(),
      as: null,
      headers: { authorization: `Bearer ${'t'.repeat(8000)}` },
      status: 401,
    },
    {
      name: 'a caller no agent matches',
      body: badGetEntity(),
      as: STRANGER,
      status: 403,
    },
  ];
}

/** Listings that are not paged get a cursor no page ever returned. */
function listingCursors(): HostileCase[] {
  return [
    ...['tools/list', 'prompts/list', 'resources/templates/list'].map(
      (method): HostileCase => ({
        name: `${method} with a forged cursor`,
        body: rpc(method, { cursor: 'forged-cursor' }),
        code: -32602,
      }),
    ),
    ...forgedCursors('resources/list').map(([what, cursor]): HostileCase => ({
      name: `resources/list with a forged cursor: ${what}`,
      body: rpc('resources/list', { cursor }),
      says: /cursor/,
    })),
    {
      name: 'resources/list with a cursor that is a number',
      body: rpc('resources/list', { cursor: 5 }),
    },
  ];
}
