import { batchVersion, versionAllowsBatches } from './batches';

const initialize = (protocolVersion: string) => ({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion, capabilities: {}, clientInfo: { name: 'c' } },
});
const call = (meta?: Record<string, unknown>) => ({
  jsonrpc: '2.0',
  id: 2,
  method: 'tools/call',
  params: { name: 'who_am_i', ...(meta && { _meta: meta }) },
});
const CLAIM = 'io.modelcontextprotocol/protocolVersion';

describe('batchVersion', () => {
  it('assumes 2025-03-26 without a header, as the spec says', () => {
    expect(batchVersion(undefined, [call(), call()]).version).toBe(
      '2025-03-26',
    );
  });

  it('takes the MCP-Protocol-Version header, trimmed', () => {
    expect(batchVersion(' 2025-06-18 ', [call()])).toEqual({
      version: '2025-06-18',
      source: 'the MCP-Protocol-Version header',
    });
    expect(batchVersion('2024-11-05', [call()]).version).toBe('2024-11-05');
  });

  it('lets an initialize part that asks for 2025-06-18 or later rule batches out, header or not', () => {
    expect(batchVersion(undefined, [initialize('2025-11-25')])).toEqual({
      version: '2025-11-25',
      source: 'its initialize request',
    });
    expect(batchVersion('2025-03-26', [initialize('2025-06-18')]).version).toBe(
      '2025-06-18',
    );
    expect(batchVersion(undefined, [initialize('2025-03-26')]).version).toBe(
      '2025-03-26',
    );
  });

  it('treats any per-request _meta protocol claim as 2026-07-28 era', () => {
    expect(
      batchVersion('2025-03-26', [call(), call({ [CLAIM]: '2026-07-28' })]),
    ).toEqual({
      version: '2026-07-28',
      source: "a part's per-request _meta protocol claim",
    });
    expect(batchVersion(undefined, [call({ [CLAIM]: 7 })]).version).toBe(
      '2026-07-28',
    );
    expect(
      batchVersion(undefined, [call({ [CLAIM]: '2025-03-26' })]).version,
    ).toBe('2026-07-28');
    // Other _meta keys are no claim.
    expect(batchVersion(undefined, [call({ progressToken: 1 })]).version).toBe(
      '2025-03-26',
    );
  });
});

describe('versionAllowsBatches', () => {
  it('allows dated versions before 2025-06-18 only', () => {
    expect(versionAllowsBatches('2024-11-05')).toBe(true);
    expect(versionAllowsBatches('2025-03-26')).toBe(true);
    expect(versionAllowsBatches('2025-06-18')).toBe(false);
    expect(versionAllowsBatches('2026-07-28')).toBe(false);
    expect(versionAllowsBatches('latest')).toBe(false);
    expect(versionAllowsBatches('2025-03-26, 2025-06-18')).toBe(false);
  });
});
