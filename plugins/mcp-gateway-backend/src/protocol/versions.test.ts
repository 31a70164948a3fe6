import { Request } from 'express';
import {
  SUPPORTED_VERSIONS,
  unservedMethodRefusalFor,
  versionRefusalFor,
} from './versions';

const requestWith = (headers: Record<string, string> = {}) =>
  ({ method: 'POST', headers }) as unknown as Request;
const claiming = (
  version: unknown,
  method = 'tools/list',
  id: unknown = 1,
) => ({
  jsonrpc: '2.0',
  ...(id !== null && { id }),
  method,
  params: { _meta: { 'io.modelcontextprotocol/protocolVersion': version } },
});

describe('SUPPORTED_VERSIONS', () => {
  it('names 2026-07-28 first, then the initialize versions down to 2024-10-07', () => {
    expect(SUPPORTED_VERSIONS).toEqual([
      '2026-07-28',
      '2025-11-25',
      '2025-06-18',
      '2025-03-26',
      '2024-11-05',
      '2024-10-07',
    ]);
  });
});

describe('versionRefusalFor', () => {
  it('lets every supported header version and the 2026-07-28 claim through', () => {
    for (const version of SUPPORTED_VERSIONS) {
      expect(
        versionRefusalFor(
          requestWith({ 'mcp-protocol-version': ` ${version} ` }),
          {},
        ),
      ).toBeUndefined();
    }
    expect(
      versionRefusalFor(requestWith(), claiming('2026-07-28')),
    ).toBeUndefined();
    expect(versionRefusalFor(requestWith(), {})).toBeUndefined();
  });

  it('refuses an unknown header version with 400 -32022, listing every version', () => {
    expect(
      versionRefusalFor(
        requestWith({ 'mcp-protocol-version': '2025-11-26' }),
        [],
      ),
    ).toMatchObject({
      status: 400,
      code: -32022,
      reasonCode: 'unsupported-protocol-version',
      data: { supported: SUPPORTED_VERSIONS, requested: '2025-11-26' },
      message: expect.stringContaining(SUPPORTED_VERSIONS.join(', ')),
    });
  });

  it.each([['2099-01-01'], ['2025-11-25'], [20260728], [{ v: 1 }]])(
    'refuses a _meta claim of %j, offering only the per-request version to retry with',
    claim => {
      const refusal = versionRefusalFor(requestWith(), claiming(claim));
      expect(refusal).toMatchObject({
        status: 400,
        code: -32022,
        id: 1,
        data: { supported: ['2026-07-28'] },
      });
      expect(refusal!.message).toContain('2025-11-25, 2025-06-18');
    },
  );

  it("leaves a header that disagrees with the claim to the MCP SDK's mismatch error", () => {
    expect(
      versionRefusalFor(
        requestWith({ 'mcp-protocol-version': '2026-07-28' }),
        claiming('2099-01-01'),
      ),
    ).toBeUndefined();
  });
});

describe('unservedMethodRefusalFor', () => {
  it.each(['completion/complete', 'initialize', 'ping', '__proto__'])(
    'answers a 2026-07-28 request for %s with 404 -32601',
    method => {
      expect(
        unservedMethodRefusalFor(requestWith(), claiming('2026-07-28', method)),
      ).toMatchObject({ status: 404, code: -32601, id: 1 });
    },
  );

  it('lets served methods, notifications and 2025 requests through', () => {
    for (const method of [
      'tools/call',
      'server/discover',
      'subscriptions/listen',
    ]) {
      expect(
        unservedMethodRefusalFor(requestWith(), claiming('2026-07-28', method)),
      ).toBeUndefined();
    }
    expect(
      unservedMethodRefusalFor(
        requestWith(),
        claiming('2026-07-28', 'notifications/x', null),
      ),
    ).toBeUndefined();
    expect(
      unservedMethodRefusalFor(requestWith(), {
        jsonrpc: '2.0',
        id: 1,
        method: 'completion/complete',
      }),
    ).toBeUndefined();
  });
});
