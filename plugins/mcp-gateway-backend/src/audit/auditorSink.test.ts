import { fakeAuditor } from '../__testUtils__/unitDoubles';
import { AuditorServiceEvent } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { AuditStart } from './auditRecord';
import { AuditorSink } from './auditorSink';
import { MAX_AUDITED_TEXT } from './bounded';

function setup() {
  const event = {
    success: jest.fn(async () => {}),
    fail: jest.fn(async () => {}),
  } satisfies AuditorServiceEvent;
  const auditor = fakeAuditor({
    createEvent: jest.fn(async () => event),
  });
  return { auditor, event, sink: new AuditorSink(auditor) };
}

const request = {
  method: 'POST',
  headers: { authorization: 'Bearer secret-token' },
} as unknown as Request;

const toolCall = (
  overrides: Partial<AuditStart> = {},
  access: 'read' | 'write' | 'destructive' = 'read',
): AuditStart => ({
  requestId: 'req-1',
  agentId: 'copilot',
  principal: 'user:default/alice',
  user: 'user:default/alice',
  actor: 'plugin:portal-chat',
  method: 'tools/call',
  operation: { kind: 'tool', name: 'get_entity', access, source: 'gateway' },
  arguments: { entityRef: 'component:default/a' },
  request,
  ...overrides,
});

describe('AuditorSink', () => {
  describe('begin', () => {
    it('creates the event at admission, before the request ends', async () => {
      const { auditor, event, sink } = setup();
      await sink.begin(toolCall());
      expect(auditor.createEvent).toHaveBeenCalledTimes(1);
      expect(event.success).not.toHaveBeenCalled();
      expect(event.fail).not.toHaveBeenCalled();
    });

    it('names who and what in the meta, the operation under its kind, and passes the request to the auditor only', async () => {
      const { auditor, sink } = setup();
      await sink.begin(toolCall());
      const [options] = auditor.createEvent.mock.calls[0];
      expect(options).toEqual({
        eventId: 'tool-call',
        severityLevel: 'low',
        request,
        meta: {
          requestId: 'req-1',
          agentId: 'copilot',
          principal: 'user:default/alice',
          user: 'user:default/alice',
          actor: 'plugin:portal-chat',
          method: 'tools/call',
          kind: 'tool',
          tool: 'get_entity',
          access: 'read',
          source: 'gateway',
          arguments: { entityRef: 'component:default/a' },
        },
      });
      expect(options.request).toBe(request);
      expect(options.meta).not.toHaveProperty('request');
      expect(options.meta).not.toHaveProperty('operation');
      expect(JSON.stringify(options.meta)).not.toContain('secret-token');
    });

    it('names a resource under the resource key', async () => {
      const { auditor, sink } = setup();
      await sink.begin({
        requestId: 'req-2',
        agentId: 'copilot',
        method: 'resources/read',
        operation: { kind: 'resource', name: 'catalog://x' },
      });
      const [options] = auditor.createEvent.mock.calls[0];
      expect(options.eventId).toBe('mcp-request');
      expect(options.meta).toMatchObject({
        kind: 'resource',
        resource: 'catalog://x',
      });
      expect(options.meta).not.toHaveProperty('tool');
    });

    it.each([
      ['a tool call', toolCall(), 'tool-call'],
      [
        'a call of an unknown tool',
        toolCall({ operation: { kind: 'tool', name: 'nope' } }),
        'tool-call',
      ],
      [
        'a tool listing',
        { requestId: 'r', method: 'tools/list' } as AuditStart,
        'tool-list',
      ],
      [
        'initialize',
        { requestId: 'r', method: 'initialize' } as AuditStart,
        'mcp-request',
      ],
      [
        'an identity refusal naming only the verb',
        { requestId: 'r', method: 'HTTP POST' } as AuditStart,
        'mcp-request',
      ],
    ])('gives %s the event id %s', async (_, start, eventId) => {
      const { auditor, sink } = setup();
      await sink.begin(start);
      expect(auditor.createEvent.mock.calls[0][0].eventId).toBe(eventId);
    });

    it.each([
      ['read', 'low'],
      ['write', 'medium'],
      ['destructive', 'medium'],
    ] as const)('audits a %s at severity %s', async (access, severity) => {
      const { auditor, sink } = setup();
      await sink.begin(toolCall({}, access));
      expect(auditor.createEvent.mock.calls[0][0].severityLevel).toBe(severity);
    });

    it('audits requests with no known access at low severity', async () => {
      const { auditor, sink } = setup();
      await sink.begin({ requestId: 'r', method: 'tools/list' });
      await sink.begin(toolCall({ operation: { kind: 'tool', name: 'nope' } }));
      expect(
        auditor.createEvent.mock.calls.map(([o]) => o.severityLevel),
      ).toEqual(['low', 'low']);
    });

    it('keeps only a bounded preview of large arguments', async () => {
      const { auditor, sink } = setup();
      const huge = 'x'.repeat(100_000);
      await sink.begin(toolCall({ arguments: { huge } }));
      const meta = auditor.createEvent.mock.calls[0][0].meta!;
      expect(meta.arguments).toMatchObject({
        truncated: true,
        bytes: JSON.stringify({ huge }).length,
      });
      expect(JSON.stringify(meta).length).toBeLessThan(3 * MAX_AUDITED_TEXT);
    });

    it('throws when the event cannot be created, so the request does not run unaudited', async () => {
      const auditor = fakeAuditor({
        createEvent: jest.fn(async () => {
          throw new Error('audit log down');
        }),
      });
      await expect(new AuditorSink(auditor).begin(toolCall())).rejects.toThrow(
        'audit log down',
      );
    });
  });

  describe('end', () => {
    it('records success with the outcome as meta', async () => {
      const { event, sink } = setup();
      const entry = await sink.begin({ requestId: 'r', method: 'tools/list' });
      await entry.end({ outcome: 'succeeded', listed: 3, durationMs: 12 });
      expect(event.success).toHaveBeenCalledTimes(1);
      expect(event.success).toHaveBeenCalledWith({
        meta: expect.objectContaining({
          outcome: 'succeeded',
          listed: 3,
          durationMs: 12,
        }),
      });
      expect(event.fail).not.toHaveBeenCalled();
    });

    it.each(['refused', 'invalid', 'failed', 'unauthenticated'] as const)(
      'records %s as a failure at medium severity, the reason as the error',
      async outcome => {
        const { event, sink } = setup();
        const entry = await sink.begin(toolCall());
        await entry.end({
          outcome,
          stage: 'policy',
          code: 'tool-not-allowed',
          reason: "Agent 'copilot' may not call tool 'get_entity'.",
          durationMs: 3,
        });
        expect(event.success).not.toHaveBeenCalled();
        expect(event.fail).toHaveBeenCalledTimes(1);
        const [failure] = event.fail.mock.calls[0] as unknown as [
          Parameters<AuditorServiceEvent['fail']>[0] & {
            severityLevel?: string;
          },
        ];
        expect(failure.severityLevel).toBe('medium');
        expect(failure.error).toBeInstanceOf(Error);
        expect(failure.error.message).toBe(
          "Agent 'copilot' may not call tool 'get_entity'.",
        );
        expect(failure.meta).toEqual({
          outcome,
          stage: 'policy',
          code: 'tool-not-allowed',
          reason: "Agent 'copilot' may not call tool 'get_entity'.",
          durationMs: 3,
        });
      },
    );

    it('bounds a long reason, in the error and in the meta', async () => {
      const { event, sink } = setup();
      const entry = await sink.begin(toolCall());
      const reason = 'r'.repeat(MAX_AUDITED_TEXT + 500);
      await entry.end({ outcome: 'failed', reason, durationMs: 1 });
      const [failure] = event.fail.mock.calls[0] as unknown as [
        { error: Error; meta: { reason: string } },
      ];
      const bounded = `${'r'.repeat(MAX_AUDITED_TEXT)}… (500 more characters cut)`;
      expect(failure.error.message).toBe(bounded);
      expect(failure.meta.reason).toBe(bounded);
    });

    it('names the outcome as the error when there is no reason', async () => {
      const { event, sink } = setup();
      const entry = await sink.begin(toolCall());
      await entry.end({ outcome: 'unauthenticated', durationMs: 1 });
      const [failure] = event.fail.mock.calls[0] as unknown as [
        { error: Error },
      ];
      expect(failure.error.message).toBe('unauthenticated');
    });

    it('throws when the outcome cannot be written, so the answer is withheld', async () => {
      const { event, sink } = setup();
      event.success.mockRejectedValueOnce(new Error('audit log down'));
      const entry = await sink.begin(toolCall());
      await expect(
        entry.end({ outcome: 'succeeded', durationMs: 1 }),
      ).rejects.toThrow('audit log down');
    });
  });
});
