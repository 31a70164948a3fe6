import { ServiceUnavailableError } from '@backstage/errors';
import {
  AdminApp,
  asService,
  asUser,
  recordView,
  startAdminApp,
} from './__testUtils__/adminDoubles';

const ALICE = 'user:default/alice';
const NDJSON = { accept: 'application/x-ndjson' };

let app: AdminApp;
beforeEach(async () => {
  app = await startAdminApp();
});
afterEach(() => app.close());

/** The export's record is ended once its last byte is out: wait for it. */
async function endedRecord() {
  for (let i = 0; i < 100 && !app.sink.records[0]?.end; i++) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
  return app.sink.only();
}

describe('admin API: GET audit', () => {
  it('returns a page of matching records with the cursor to the next, filters translated', async () => {
    const response = await app.fetch(
      'audit?agent=copilot&outcome=ok&since=2026-11-21T09:00:00Z&until=1800000000000&limit=1',
      { headers: asUser(ALICE) },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      records: [app.records[0]],
      nextCursor: 'next-page',
    });
    expect(app.records[0]).toMatchObject({ id: 'r1', agent: 'copilot' });
    expect(app.audit.list).toHaveBeenCalledWith(
      {
        agent: 'copilot',
        outcome: 'ok',
        since: Date.parse('2026-11-21T09:00:00Z'),
        until: 1800000000000,
      },
      { limit: 1 },
    );
    expect(app.sink.only()).toMatchObject({
      method: 'admin: GET audit',
      principal: ALICE,
      arguments: {
        agent: 'copilot',
        outcome: 'ok',
        since: '2026-11-21T09:00:00Z',
        until: '1800000000000',
        limit: '1',
      },
      end: { outcome: 'succeeded', listed: 1 },
    });
  });

  it('pages by 50 by default, passes the cursor on, and omits nextCursor on the last page', async () => {
    const response = await app.fetch('audit?cursor=abc', {
      headers: asService('ops-bot'),
    });
    expect(await response.json()).toEqual({ records: app.records });
    expect(app.records.map(r => r.id)).toEqual(['r1', 'r2', 'r3']);
    expect(app.audit.list).toHaveBeenCalledWith(
      {},
      { limit: 50, cursor: 'abc' },
    );
  });

  it.each([
    ['since=yesterday', 'since: must be an ISO 8601 time'],
    ['until=2026-11-21T25:00:00Z', 'until: must be an ISO 8601 time'],
    ['limit=0', 'limit: must be a whole number from 1 to 500'],
    ['limit=501', 'limit: must be a whole number from 1 to 500'],
    ['agnet=copilot', 'agnet'],
    ['agent=a&agent=b', 'agent: must be a single value'],
  ])('answers ?%s 400 without reading the audit', async (query, message) => {
    const response = await app.fetch(`audit?${query}`, {
      headers: asUser(ALICE),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      name: 'InputError',
      message: expect.stringContaining(message),
      code: 'invalid-input',
    });
    expect(app.audit.list).not.toHaveBeenCalled();
    expect(app.sink.only().end).toMatchObject({ outcome: 'invalid' });
  });

  it("answers a cursor the store did not make 400, with the store's message", async () => {
    const response = await app.fetch('audit?cursor=forged', {
      headers: asUser(ALICE),
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toEqual({
      name: 'InputError',
      message: 'Invalid cursor: it was not made by this API',
      code: 'invalid-input',
    });
    expect(app.sink.only().end).toMatchObject({
      outcome: 'invalid',
      reason: 'Invalid cursor: it was not made by this API',
    });
  });
});

describe('admin API: NDJSON export', () => {
  it('streams every matching record, one JSON document a line', async () => {
    const response = await app.fetch('audit?agent=copilot', {
      headers: { ...asUser(ALICE), ...NDJSON },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    const text = await response.text();
    expect(text.endsWith('\n')).toBe(true);
    expect(
      text
        .trimEnd()
        .split('\n')
        .map(line => JSON.parse(line)),
    ).toEqual(app.records.filter(r => r.agent === 'copilot'));
    expect(text.trimEnd().split('\n')).toHaveLength(2);
    expect(app.audit.export).toHaveBeenCalledWith({ agent: 'copilot' });
    expect(app.audit.list).not.toHaveBeenCalled();
    expect(await endedRecord()).toMatchObject({
      method: 'admin: GET audit',
      arguments: { agent: 'copilot', export: 'ndjson' },
      end: { outcome: 'succeeded', listed: 2, resultBytes: text.length },
    });
  });

  it('sends an empty body when nothing matches', async () => {
    const response = await app.fetch('audit?agent=nobody', {
      headers: {
        ...asUser(ALICE),
        accept: 'application/json, application/x-ndjson',
      },
    });
    expect(response.headers.get('content-type')).toBe('application/x-ndjson');
    expect(await response.text()).toBe('');
  });

  it('refuses paging parameters on an export with 400', async () => {
    const response = await app.fetch('audit?limit=10', {
      headers: { ...asUser(ALICE), ...NDJSON },
    });
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toContain(
      'streams every matching record',
    );
    expect(app.audit.export).not.toHaveBeenCalled();
  });

  it('answers a store that fails before the first record with a proper JSON error', async () => {
    app.audit.export.mockImplementation(async function* failing() {
      yield* [];
      throw new ServiceUnavailableError('The audit store is unreachable.');
    });
    const response = await app.fetch('audit', {
      headers: { ...asUser(ALICE), ...NDJSON },
    });
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      error: {
        name: 'ServiceUnavailableError',
        message: 'The audit store is unreachable.',
        code: 'unavailable',
      },
    });
    expect(app.sink.only().end).toMatchObject({ outcome: 'failed' });
  });

  it('cuts the connection when the store fails mid-export, so a partial export never looks whole', async () => {
    const failure = new Error('connection to 10.0.0.5 reset');
    app.audit.export.mockImplementation(async function* failing() {
      yield recordView({ id: 'r1' });
      throw failure;
    });
    // Cut before or after the status line, depending on what was flushed:
    // either way the client never reads a complete body.
    const read = app
      .fetch('audit', { headers: { ...asUser(ALICE), ...NDJSON } })
      .then(response => response.text());
    await expect(read).rejects.toThrow();
    expect(await endedRecord()).toMatchObject({
      end: {
        outcome: 'failed',
        code: 'store-failed',
        listed: 1,
        reason:
          'Reading the audit failed after 1 record(s); the export was cut.',
      },
    });
    expect(app.logger.error).toHaveBeenCalledWith(
      expect.stringContaining('failed after 1 record(s)'),
      failure,
    );
  });

  it('stops reading the store when the client goes away, and records the cut', async () => {
    let released = false;
    const many = 20000;
    app.audit.export.mockImplementation(async function* plenty() {
      try {
        for (let i = 0; i < many; i++)
          yield recordView({ id: `r${i}`, message: 'x'.repeat(1000) });
      } finally {
        released = true;
      }
    });
    const abort = new AbortController();
    const response = await app.fetch('audit', {
      headers: { ...asUser(ALICE), ...NDJSON },
      signal: abort.signal,
    });
    const reader = response.body!.getReader();
    await reader.read();
    abort.abort();

    const record = await endedRecord();
    expect(record.end).toMatchObject({
      outcome: 'failed',
      code: 'client-gone',
    });
    // Written at the pace the client read, not all of it.
    expect(record.end!.listed).toBeLessThan(many);
    expect(released).toBe(true);
  });
});
