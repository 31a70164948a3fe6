import { Request } from 'express';
import { describeClient } from './clientInfo';

const request = (headers: Record<string, string> = {}) =>
  ({ headers }) as unknown as Request;

describe('describeClient', () => {
  it('reads the client and version from initialize', () => {
    expect(
      describeClient(request(), {
        method: 'initialize',
        params: {
          protocolVersion: '2025-06-18',
          clientInfo: { name: 'claude-code', version: '2.1.0' },
        },
      }),
    ).toEqual({
      protocolVersion: '2025-06-18',
      client: { name: 'claude-code', version: '2.1.0' },
    });
  });

  it('reads a 2026-07-28 request envelope', () => {
    expect(
      describeClient(request(), {
        method: 'tools/call',
        params: {
          _meta: {
            'io.modelcontextprotocol/protocolVersion': '2026-07-28',
            'io.modelcontextprotocol/clientInfo': { name: 'cursor' },
          },
        },
      }),
    ).toEqual({ protocolVersion: '2026-07-28', client: { name: 'cursor' } });
  });

  it('takes the MCP-Protocol-Version header over the body', () => {
    expect(
      describeClient(request({ 'mcp-protocol-version': '2025-11-25' }), {
        params: { protocolVersion: '2025-06-18' },
      }),
    ).toEqual({ protocolVersion: '2025-11-25' });
  });

  it('keeps what a client sends bounded and on one line', () => {
    const { client, protocolVersion } = describeClient(
      request({ 'mcp-protocol-version': 'v'.repeat(500) }),
      {
        params: {
          clientInfo: { name: `evil\nclient${'x'.repeat(500)}`, version: 7 },
        },
      },
    );
    expect(client!.name).not.toContain('\n');
    expect(client!.name!.length).toBeLessThanOrEqual(201);
    expect(client!.version).toBeUndefined();
    expect(protocolVersion!.length).toBeLessThanOrEqual(65);
  });

  it.each([
    [undefined],
    [null],
    ['text'],
    [[{ params: {} }]],
    [{ params: [] }],
  ])('describes nothing for a body without client details (%j)', body => {
    expect(describeClient(request(), body)).toEqual({});
  });
});
