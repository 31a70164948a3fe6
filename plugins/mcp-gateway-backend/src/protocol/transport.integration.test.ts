/* eslint jest/expect-expect: ["warn", { "assertFunctionNames": ["expect", "expect*"] }] */
import { connect as connectTcp } from 'node:net';
import { gzipSync } from 'node:zlib';
import {
  auditedDuring,
  CapturedAuditEvent,
  messagesOf,
  startTestGateway,
  TestGateway,
  tokenFor,
} from '../__testUtils__/testGateway';

const AGENT = 'incident-copilot';
const auth = { authorization: `Bearer ${tokenFor(AGENT)}` };

const callWhoAmI = (id: number, extra: Record<string, unknown> = {}) => ({
  jsonrpc: '2.0',
  id,
  method: 'tools/call',
  params: { name: 'who_am_i', arguments: {}, ...extra },
});

/** `{"a":[[[...]]]}` with `levels` nested arrays inside the arguments. */
function nestedCall(levels: number): string {
  const head = JSON.stringify(callWhoAmI(1)).replace(
    '"arguments":{}',
    '"arguments":{"a":',
  );
  return `${head.slice(0, head.lastIndexOf('"a":') + 4)}${'['.repeat(
    levels,
  )}${']'.repeat(levels)}}}}`;
}

/** A raw HTTP exchange, for what fetch cannot send (a body cut short). */
function rawExchange(
  url: string,
  request: string,
): Promise<{ statusLine: string; raw: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connectTcp(Number(port), hostname, () => {
      socket.write(request);
      // Half-close: the body ends here, short of its Content-Length.
      setTimeout(() => socket.end(), 50);
    });
    let raw = '';
    socket.setEncoding('utf8');
    socket.on('data', chunk => {
      raw += chunk;
    });
    socket.on('close', () =>
      resolve({ statusLine: raw.split('\r\n')[0], raw }),
    );
    socket.on('error', reject);
  });
}

describe('the MCP transport', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startTestGateway({
      subjects: [AGENT, 'stranger'],
      agents: [
        {
          id: AGENT,
          principals: [{ service: AGENT }],
          tools: { allow: ['*'] },
        },
      ],
      backend: {
        baseUrl: 'https://backstage.acme.example',
        cors: { origin: ['https://*.cors.example', 'http://localhost:3001'] },
      },
      mcpGateway: {
        allowedOrigins: [
          'https://portal.acme.example',
          'https://*.agents.example',
        ],
      },
    });
  }, 90_000);

  afterAll(() => gateway.stop());

  const expectJsonRpcError = async (
    response: Response,
    status: number,
    code: number,
    message: RegExp,
    id: number | null = null,
  ) => {
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      jsonrpc: '2.0',
      id,
      error: { code, message: expect.stringMatching(message) },
    });
  };

  const expectProtocolRefusal = (
    events: CapturedAuditEvent[],
    outcome: 'refused' | 'invalid',
    reason: RegExp,
    agentId?: string,
    stage: 'protocol' | 'origin' = 'protocol',
  ) => {
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      status: 'failed',
      level: 'info',
      meta: {
        outcome,
        stage,
        reason: expect.stringMatching(reason),
      },
    });
    expect(events[0].meta.agentId).toBe(agentId);
  };

  describe('Origin', () => {
    const withOrigin = (
      origin: string,
      headers: Record<string, string> = auth,
    ) => gateway.post(callWhoAmI(1), { ...headers, origin });

    it('refuses an origin that is not allowed with 403, naming it and mcpGateway.allowedOrigins, audited', async () => {
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await withOrigin('https://evil.example');
      });
      await expectJsonRpcError(
        response,
        403,
        -32000,
        /^Origin 'https:\/\/evil\.example' is not allowed.*mcpGateway\.allowedOrigins/,
      );
      expectProtocolRefusal(
        events,
        'refused',
        /https:\/\/evil\.example/,
        undefined,
        'origin',
      );
      expect(events[0].meta.code).toBe('origin-not-allowed');
      expect(events[0].meta.method).toBe('HTTP POST');
    });

    it('checks Origin before identity: an anonymous caller from a foreign origin gets 403, not 401', async () => {
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await withOrigin('https://evil.example', {
          'mcp-method': 'tools/call',
        });
      });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expectProtocolRefusal(
        events,
        'refused',
        /not allowed/,
        undefined,
        'origin',
      );
      expect(events[0].meta.method).toBe('tools/call');
    });

    it('refuses Origin: null and origins that are not URLs', async () => {
      for (const origin of ['null', 'evil', 'file://']) {
        const response = await withOrigin(origin);
        expect(response.status).toBe(403);
        expect((await response.json()).error.message).toContain(
          `Origin '${origin}' is not allowed`,
        );
      }
    });

    it("allows the backend's and the app's own origins, compared normalised, and nothing next to them", async () => {
      for (const origin of [
        'https://backstage.acme.example',
        'HTTPS://Backstage.ACME.example:443',
        'http://localhost:3000',
      ]) {
        expect((await withOrigin(origin)).status).toBe(200);
      }
      for (const origin of [
        'https://backstage.acme.example:8443',
        'http://backstage.acme.example',
        'https://backstage.acme.example.evil.com',
        'http://localhost:3002',
      ]) {
        expect((await withOrigin(origin)).status).toBe(403);
      }
    });

    it('allows backend.cors.origin patterns matched the way Backstage matches them', async () => {
      expect((await withOrigin('https://app.cors.example')).status).toBe(200);
      expect((await withOrigin('http://localhost:3001')).status).toBe(200);
      expect((await withOrigin('https://cors.example.evil.com')).status).toBe(
        403,
      );
    });

    it('allows mcpGateway.allowedOrigins patterns, case-insensitively', async () => {
      expect((await withOrigin('https://PORTAL.acme.example')).status).toBe(
        200,
      );
      expect((await withOrigin('https://bot.agents.example')).status).toBe(200);
      expect(
        (await withOrigin('https://bot.agents.example.evil.com')).status,
      ).toBe(403);
      expect((await withOrigin('http://portal.acme.example')).status).toBe(403);
    });
  });

  describe('protocol versions', () => {
    const ALL = [
      '2026-07-28',
      '2025-11-25',
      '2025-06-18',
      '2025-03-26',
      '2024-11-05',
      '2024-10-07',
    ];
    /** A 2026-07-28 request: the version claimed in _meta and the headers. */
    const perRequest = (method: string, version = '2026-07-28') => ({
      body: {
        jsonrpc: '2.0',
        id: 7,
        method,
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': version,
            'io.modelcontextprotocol/clientInfo': { name: 'c', version: '1' },
            'io.modelcontextprotocol/clientCapabilities': {},
          },
        },
      },
      headers: {
        ...auth,
        'mcp-protocol-version': version,
        'mcp-method': method,
      },
    });

    it.each([
      [
        'a per-request _meta claim',
        perRequest('tools/list', '2099-01-01'),
        { supported: ['2026-07-28'], requested: '2099-01-01' },
      ],
      [
        'the MCP-Protocol-Version header',
        {
          body: callWhoAmI(7),
          headers: { ...auth, 'mcp-protocol-version': '1999-01-01' },
        },
        { supported: ALL, requested: '1999-01-01' },
      ],
    ])(
      'refuses an unsupported version in %s with 400 -32022, naming every supported version, audited',
      async (_, { body, headers }, data) => {
        let response!: Response;
        const events = await auditedDuring(gateway, async () => {
          response = await gateway.post(body, headers);
        });
        expect(response.status).toBe(400);
        const answer = await response.json();
        expect(answer.id).toBe(7);
        expect(answer.error.code).toBe(-32022);
        // What the client may retry with, the same way it asked.
        expect(answer.error.data).toEqual(data);
        for (const version of ALL) {
          expect(answer.error.message).toContain(version);
        }
        expectProtocolRefusal(events, 'invalid', /Unsupported protocol/, AGENT);
      },
    );

    it('leaves a header that disagrees with the _meta claim to the MCP SDK (-32020), and audits its refusal', async () => {
      const { body, headers } = perRequest('tools/list', '2099-01-01');
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await gateway.post(body, {
          ...headers,
          'mcp-protocol-version': '2026-07-28',
        });
      });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe(-32020);
      expectProtocolRefusal(events, 'invalid', /disagree/, AGENT);
    });

    it('audits a notification, which the MCP SDK answers 202 without a handler', async () => {
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await gateway.post(
          { jsonrpc: '2.0', method: 'notifications/initialized' },
          { ...auth, 'mcp-protocol-version': '2025-11-25' },
        );
      });
      expect(response.status).toBe(202);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        status: 'succeeded',
        meta: { agentId: AGENT, method: 'notifications/initialized' },
      });
    });

    it('serves every supported version named in the header', async () => {
      for (const version of ALL.slice(1)) {
        const response = await gateway.post(callWhoAmI(1), {
          ...auth,
          'mcp-protocol-version': version,
        });
        expect(response.status).toBe(200);
        const [message] = await messagesOf(response);
        expect(message.result.structuredContent.agent.id).toBe(AGENT);
      }
    });

    it('names the per-request versions in server/discover', async () => {
      const { body, headers } = perRequest('server/discover');
      const response = await gateway.post(body, headers);
      expect(response.status).toBe(200);
      const [message] = await messagesOf(response);
      expect(message.result.supportedVersions).toEqual(['2026-07-28']);
    });

    it.each(['completion/complete', 'initialize', 'logging/setLevel', 'x/y'])(
      'answers a 2026-07-28 request for %s, which it does not serve, with 404 -32601, audited',
      async method => {
        let response!: Response;
        const { body, headers } = perRequest(method);
        const events = await auditedDuring(gateway, async () => {
          response = await gateway.post(body, headers);
        });
        expect(response.status).toBe(404);
        expect(await response.json()).toEqual({
          jsonrpc: '2.0',
          id: 7,
          error: {
            code: -32601,
            message: `Method not found: the MCP gateway does not serve '${method}'.`,
          },
        });
        expectProtocolRefusal(events, 'invalid', /Method not found/, AGENT);
      },
    );
  });

  describe('JSON-RPC batches', () => {
    const batch = [callWhoAmI(1), callWhoAmI(2)];

    it.each(['2025-06-18', '2025-11-25', '2026-07-28'])(
      'refuses a batch sent as protocol version %s with 400 -32600, attributed',
      async version => {
        let response!: Response;
        const events = await auditedDuring(gateway, async () => {
          response = await gateway.post(batch, {
            ...auth,
            'mcp-protocol-version': version,
          });
        });
        await expectJsonRpcError(
          response,
          400,
          -32600,
          new RegExp(
            `protocol version ${version}.*batches were removed in 2025-06-18`,
          ),
        );
        expectProtocolRefusal(events, 'invalid', /batches/, AGENT);
        expect(events[0].actorId).toBe(AGENT);
      },
    );

    it('refuses a batch without a version header whose initialize asks for 2025-06-18', async () => {
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await gateway.post(
          [
            {
              jsonrpc: '2.0',
              id: 1,
              method: 'initialize',
              params: {
                protocolVersion: '2025-06-18',
                capabilities: {},
                clientInfo: { name: 'batcher', version: '1' },
              },
            },
          ],
          auth,
        );
      });
      await expectJsonRpcError(
        response,
        400,
        -32600,
        /protocol version 2025-06-18.*batches were removed in 2025-06-18/,
      );
      expectProtocolRefusal(events, 'invalid', /initialize/, AGENT);
    });

    it('refuses a batch without a version header that carries a per-request _meta protocol claim', async () => {
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await gateway.post(
          [
            callWhoAmI(1),
            callWhoAmI(2, {
              _meta: {
                'io.modelcontextprotocol/protocolVersion': '2026-07-28',
              },
            }),
          ],
          auth,
        );
      });
      await expectJsonRpcError(
        response,
        400,
        -32600,
        /protocol version 2026-07-28.*batches were removed in 2025-06-18/,
      );
      expectProtocolRefusal(events, 'invalid', /_meta/, AGENT);
    });

    it('serves a 2025-03-26 batch of up to 20 parts part by part, one audited corridor walk each, and refuses 21', async () => {
      const parts = (n: number) =>
        Array.from({ length: n }, (_, i) => callWhoAmI(i + 1));
      const as2025_03 = { ...auth, 'mcp-protocol-version': '2025-03-26' };
      const served = await auditedDuring(gateway, async () => {
        const response = await gateway.post(parts(20), as2025_03);
        expect(response.status).toBe(200);
        const answers = await messagesOf(response);
        expect(answers.map(a => a.id).sort((a, b) => a - b)).toEqual(
          parts(20).map(p => p.id),
        );
        expect(answers.every(a => a.result?.structuredContent)).toBe(true);
      });
      expect(served).toHaveLength(20);
      expect(
        served.every(
          e =>
            e.eventId === 'tool-call' &&
            e.meta.agentId === AGENT &&
            e.meta.outcome === 'succeeded',
        ),
      ).toBe(true);

      let tooMany!: Response;
      const refused = await auditedDuring(gateway, async () => {
        tooMany = await gateway.post(parts(21), as2025_03);
      });
      await expectJsonRpcError(
        tooMany,
        400,
        -32600,
        /at most 20 parts; this one has 21/,
      );
      // Refused whole: no part ran.
      expectProtocolRefusal(refused, 'refused', /at most 20 parts/, AGENT);
    });

    it('treats a batch without a version header as 2025-03-26, and refuses an empty one', async () => {
      const headerless = await gateway.post([callWhoAmI(1)], auth);
      expect(headerless.status).toBe(200);
      expect(await messagesOf(headerless)).toHaveLength(1);

      let empty!: Response;
      const events = await auditedDuring(gateway, async () => {
        empty = await gateway.post([], auth);
      });
      await expectJsonRpcError(empty, 400, -32600, /empty batch/);
      expectProtocolRefusal(events, 'invalid', /empty batch/, AGENT);
    });

    it('refuses a batch whose request ids repeat', async () => {
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await gateway.post([callWhoAmI(1), callWhoAmI(1)], auth);
      });
      await expectJsonRpcError(response, 400, -32600, /id 1 .*more than once/);
      expectProtocolRefusal(events, 'invalid', /more than once/, AGENT);
    });
  });

  describe('unreadable bodies', () => {
    const body = JSON.stringify(callWhoAmI(1));

    async function expectUnreadable(
      headers: Record<string, string>,
      payload: string | Uint8Array,
      status: number,
      code: number,
      message: RegExp,
    ) {
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await fetch(gateway.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
            ...auth,
            ...headers,
          },
          body: payload,
        });
      });
      await expectJsonRpcError(response, status, code, message);
      expectProtocolRefusal(events, 'invalid', message, AGENT);
    }

    it('answers an unsupported charset with 415', () =>
      expectUnreadable(
        { 'content-type': 'application/json; charset=latin9' },
        body,
        415,
        -32600,
        /charset 'latin9' is not supported.*utf-8/,
      ));

    it('answers a utf- charset the decoder does not know with 415', () =>
      expectUnreadable(
        { 'content-type': 'application/json; charset=utf-42' },
        body,
        415,
        -32600,
        /charset 'utf-42' is not supported/,
      ));

    it.each(['br', 'x-unknown'])(
      'answers Content-Encoding %s with 415',
      encoding =>
        expectUnreadable(
          { 'content-encoding': encoding },
          body,
          415,
          -32600,
          new RegExp(
            `Content-Encoding '${encoding}' is not supported.*gzip, deflate`,
          ),
        ),
    );

    it('answers a gzip body that is not gzip with 400', () =>
      expectUnreadable(
        { 'content-encoding': 'gzip' },
        body,
        400,
        -32700,
        /could not be decompressed \(Content-Encoding gzip\)/,
      ));

    it('answers a gzip body that inflates past the limit with 413', () =>
      expectUnreadable(
        { 'content-encoding': 'gzip' },
        gzipSync(JSON.stringify(callWhoAmI(1, { pad: 'x'.repeat(2_000_000) }))),
        413,
        -32600,
        /larger than 1mb/,
      ));

    it('answers an oversized body with 413', () =>
      expectUnreadable(
        {},
        JSON.stringify(callWhoAmI(1, { pad: 'x'.repeat(1_100_000) })),
        413,
        -32600,
        /larger than 1mb/,
      ));

    it('answers invalid JSON, and JSON that is not an object or array, with -32700', async () => {
      await expectUnreadable(
        {},
        '{"jsonrpc": "2.0", "id": 1, "method": ',
        400,
        -32700,
        /not valid JSON/,
      );
      await expectUnreadable({}, '"tools/list"', 400, -32700, /not valid JSON/);
    });

    it('audits a body cut short by the client and never answers it with a 500', async () => {
      const { host } = new URL(gateway.url);
      const partial = '{"jsonrpc":"2.0","id":1,';
      let exchange!: { statusLine: string; raw: string };
      const logsBefore = gateway.logs.length;
      const events = await auditedDuring(
        gateway,
        async () => {
          exchange = await rawExchange(
            gateway.url,
            [
              'POST /api/mcp-gateway HTTP/1.1',
              `Host: ${host}`,
              `Authorization: ${auth.authorization}`,
              'Content-Type: application/json',
              'Accept: application/json, text/event-stream',
              'Content-Length: 500',
              '',
              partial,
            ].join('\r\n'),
          );
        },
        1,
      );
      // Node answers a half-closed, incomplete request itself before the
      // application can: a bare 400, never a 500 or an HTML page.
      expect(exchange.statusLine).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(exchange.raw).not.toMatch(/<html|<pre|at .*\.js/i);
      expectProtocolRefusal(events, 'invalid', /ended before/, AGENT);
      const written = gateway.logs.slice(logsBefore);
      expect(written.filter(l => l.level === 'error')).toEqual([]);
    });

    it('never hands a body error to Backstage’s error handler', async () => {
      const response = await gateway.post(body, {
        ...auth,
        'content-type': 'application/json; charset=latin9',
      });
      const text = await response.text();
      expect(text).not.toMatch(/"stack"|<html|"name":"/);
      expect(JSON.parse(text).jsonrpc).toBe('2.0');
    });
  });

  describe('nesting', () => {
    const expectNestingRefused = async (levels: number) => {
      const payload = nestedCall(levels);
      expect(payload.length).toBeLessThan(1024 * 1024);
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await gateway.post(payload, auth);
      });
      await expectJsonRpcError(
        response,
        400,
        -32600,
        /nested more than 64 levels deep/,
        1,
      );
      expectProtocolRefusal(events, 'invalid', /64 levels/, AGENT);
      expect(events[0].meta.method).toBe('tools/call');
    };

    it('draws the line at 64 levels: serves 64, refuses 65', async () => {
      // The body, params and arguments are three levels of their own.
      const response = await gateway.post(nestedCall(61), auth);
      expect(response.status).toBe(200);
      const [answer] = await messagesOf(response);
      expect(answer.result.structuredContent.agent.id).toBe(AGENT);
      await expectNestingRefused(62);
    });

    it.each([5_000, 500_000])(
      'refuses a body with %d nested arrays with 400 -32600 naming the limit, attributed',
      levels => expectNestingRefused(levels),
    );
  });

  describe('order', () => {
    it('identifies the caller before reading the body, and never reads an unidentified caller’s body', async () => {
      let broken!: Response;
      let oversized!: Response;
      const events = await auditedDuring(gateway, async () => {
        broken = await gateway.post('{"jsonrpc": "2.0", "id": 1, "method": ');
        oversized = await gateway.post(
          JSON.stringify(callWhoAmI(1, { pad: 'x'.repeat(1_100_000) })),
        );
        await gateway.post(callWhoAmI(1));
        await gateway.post(callWhoAmI(1), { 'mcp-method': 'tools/call' });
      });
      for (const response of [broken, oversized]) {
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
      }
      // The audit knows only what the headers say.
      expect(
        events.map(e => [e.meta.stage, e.meta.outcome, e.meta.method]),
      ).toEqual([
        ['identity', 'unauthenticated', 'HTTP POST'],
        ['identity', 'unauthenticated', 'HTTP POST'],
        ['identity', 'unauthenticated', 'HTTP POST'],
        ['identity', 'unauthenticated', 'tools/call'],
      ]);
    });

    it('attributes refusals after identity to the caller, and refuses an unknown caller before its body', async () => {
      let response!: Response;
      const events = await auditedDuring(gateway, async () => {
        response = await gateway.post(
          '{"jsonrpc": "2.0", "id": 1, "method": ',
          {
            authorization: `Bearer ${tokenFor('stranger')}`,
          },
        );
        await gateway.post('{"jsonrpc": "2.0", "id": 1, "method": ', auth);
      });
      expect(response.status).toBe(403);
      expect(
        events.map(e => [e.meta.stage, e.meta.outcome, e.meta.agentId]),
      ).toEqual([
        ['identity', 'refused', undefined],
        ['protocol', 'invalid', AGENT],
      ]);
      expect(events[1].actorId).toBe(AGENT);
    });
  });

  describe('anonymous callers', () => {
    const anonymous = (path: string, init: RequestInit = {}) =>
      fetch(`${gateway.baseUrl}/api/mcp-gateway${path}`, init);
    const metadata = '/.well-known/backstage/permissions/metadata';

    it("reach no route of the plugin's but the MCP endpoint, which answers with its own challenge", async () => {
      expect((await anonymous(metadata)).status).toBe(401);
      // Backstage still serves it to an authenticated caller.
      expect((await anonymous(metadata, { headers: auth })).status).toBe(200);

      for (const path of ['', '/']) {
        const response = await anonymous(path, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
          body: JSON.stringify(callWhoAmI(1)),
        });
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
        expect((await response.json()).error.code).toBe(-32001);
      }
    });

    it('cannot slip past with a path that starts with //', async () => {
      for (const path of [
        `/${metadata}`,
        `//${metadata}`,
        '///anything',
        '///',
      ]) {
        const response = await anonymous(path);
        expect([path, response.status]).toEqual([path, 401]);
        // Backstage's own refusal, not the MCP endpoint's challenge.
        expect(response.headers.get('www-authenticate')).toBeNull();
      }
    });
  });
});
