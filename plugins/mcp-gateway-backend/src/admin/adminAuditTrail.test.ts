import {
  AdminApp,
  asService,
  asUser,
  CALLER_HEADER,
  startAdminApp,
} from './__testUtils__/adminDoubles';

const ALICE = 'user:default/alice';

let app: AdminApp;
beforeEach(async () => {
  app = await startAdminApp();
});
afterEach(() => app.close());

const json = (body: unknown, headers: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

describe('admin API: the audit trail', () => {
  it.each([
    ['GET agents', 'agents', {}, 200, ALICE, 'succeeded'],
    ['anonymous', 'agents', {}, 401, undefined, 'unauthenticated'],
    [
      'a rejected token',
      'kill-switch',
      { headers: { [CALLER_HEADER]: 'bad' } },
      401,
      undefined,
      'unauthenticated',
    ],
    [
      'a non-admin',
      'kill-switch',
      { headers: asService('copilot-svc') },
      403,
      'copilot-svc',
      'refused',
    ],
    [
      'a disable',
      'agents/copilot/disable',
      json({ reason: 'r' }, asUser(ALICE)),
      200,
      ALICE,
      'succeeded',
    ],
    [
      'an invalid disable',
      'agents/copilot/disable',
      json({}, asUser(ALICE)),
      400,
      ALICE,
      'invalid',
    ],
    [
      'an unknown agent',
      'agents/x/enable',
      json({}, asUser(ALICE)),
      404,
      ALICE,
      'invalid',
    ],
    [
      'a config-disabled agent',
      'agents/retired/enable',
      json({}, asUser(ALICE)),
      409,
      ALICE,
      'refused',
    ],
    [
      'an engage',
      'kill-switch',
      json({ engaged: true, reason: 'r' }, asService('ops-bot')),
      200,
      'ops-bot',
      'succeeded',
    ],
    [
      'an audit page',
      'audit',
      { headers: asService('ops-bot') },
      200,
      'ops-bot',
      'succeeded',
    ],
    [
      'an unknown route',
      'nope',
      { headers: asService('ops-bot') },
      404,
      'ops-bot',
      'invalid',
    ],
  ])(
    'records %s exactly once, with who and how it ended',
    async (_, path, init, status, principal, outcome) => {
      const headers = { ...asUser(ALICE), ...(init as RequestInit).headers };
      const response = await app.fetch(path, {
        ...(init as RequestInit),
        headers: _ === 'anonymous' ? {} : headers,
      });
      expect(response.status).toBe(status);
      const record = app.sink.only();
      expect(record.principal).toBe(principal);
      expect(record.method).toMatch(/^admin: /);
      expect(record.method).not.toMatch(/copilot|retired/);
      expect(record.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(record.end).toMatchObject({ outcome, durationMs: 0 });
    },
  );

  it('does not disable an agent whose record cannot be written, and answers 503', async () => {
    app.sink.failBegin = true;
    const response = await app.post(
      'agents/copilot/disable',
      { reason: 'r' },
      asUser(ALICE),
    );
    expect(response.status).toBe(503);
    const { error } = await response.json();
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.code).toBe('audit-unavailable');
    expect(error.message).toMatch(
      /^The gateway could not write the audit record of this admin request, so it was not carried out \(reference [0-9a-f-]{36}\)\.$/,
    );
    expect(app.switches.set).not.toHaveBeenCalled();
    expect(app.control.apply).not.toHaveBeenCalled();
    expect(app.logger.error).toHaveBeenCalledWith(
      expect.stringContaining('it was not carried out'),
      expect.objectContaining({ message: 'audit database unreachable' }),
    );
  });

  it('does not engage the kill switch when its record cannot be written', async () => {
    app.sink.failBegin = true;
    const response = await app.post(
      'kill-switch',
      { engaged: true, reason: 'r' },
      asService('ops-bot'),
    );
    expect(response.status).toBe(503);
    expect(app.switches.set).not.toHaveBeenCalled();
  });

  it('reads nothing for an admin whose GET cannot be recorded', async () => {
    app.sink.failBegin = true;
    const response = await app.fetch('audit', { headers: asUser(ALICE) });
    expect(response.status).toBe(503);
    expect(app.audit.list).not.toHaveBeenCalled();
  });

  it('withholds the answer of a change whose record cannot be finished, and says the change was made', async () => {
    app.sink.failEnd = true;
    const response = await app.post(
      'agents/copilot/disable',
      { reason: 'r' },
      asUser(ALICE),
    );
    expect(response.status).toBe(503);
    const { error } = await response.json();
    expect(error.code).toBe('audit-unavailable');
    expect(error.message).toContain(
      'The change was made, but the gateway could not finish its audit record',
    );
  });

  it('still refuses a non-admin when the refusal cannot be recorded, and logs it', async () => {
    app.sink.failBegin = true;
    const response = await app.fetch('agents', {
      headers: asService('copilot-svc'),
    });
    expect(response.status).toBe(403);
    expect(app.logger.error).toHaveBeenCalledWith(
      expect.stringContaining(
        'Could not write the audit record of refused admin request',
      ),
      expect.any(Error),
    );
  });

  it("answers a store's unforeseen failure 500 with a reference, never its message, and records it", async () => {
    const failure = new Error(
      'password authentication failed for user "gateway"',
    );
    app.switches.set.mockRejectedValueOnce(failure);
    const response = await app.post(
      'agents/copilot/disable',
      { reason: 'r' },
      asUser(ALICE),
    );
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toContain('password');
    expect(text).not.toContain('stack');
    const { error } = JSON.parse(text);
    expect(error).toEqual({
      name: 'Error',
      message: expect.stringMatching(
        /^The admin request failed unexpectedly \(reference [0-9a-f-]{36}\); the gateway's log has the details\.$/,
      ),
      code: 'internal-error',
    });
    expect(app.control.apply).not.toHaveBeenCalled();
    expect(app.logger.error).toHaveBeenCalledWith(
      expect.stringContaining('failed'),
      failure,
    );
    expect(app.sink.only().end).toMatchObject({
      outcome: 'failed',
      reason: error.message,
    });
  });
});
