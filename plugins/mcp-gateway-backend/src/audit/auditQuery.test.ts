import { TestDatabaseId } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { gatewayTestDatabases } from '../__testUtils__/databases';
import { Stage } from '../core/stage';
import { AuditEnd, AuditStart } from './auditRecord';
import { AuditFilter, AuditKind, AuditQuery, MAX_PAGE } from './auditQuery';
import { MAX_REFUSAL_REASONS } from './agentActivity';
import {
  AUDIT_TABLE,
  AuditRecordView,
  AuditRow,
  completeAuditRow,
  pendingAuditRow,
} from './auditRows';
import { DatabaseAuditSink } from './databaseAuditSink';

jest.setTimeout(60_000);

const databases = gatewayTestDatabases();

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

interface Fixture {
  requestId: string;
  at: number;
  agent?: string;
  user?: string;
  tool?: string;
  end: AuditEnd;
}

const ok: AuditEnd = { outcome: 'succeeded', durationMs: 1 };
const deniedEnd = (code: string): AuditEnd => ({
  outcome: 'refused',
  stage: 'policy',
  code,
  reason: `Refused: ${code}`,
  durationMs: 0,
});

/** Ten records, newest last as written; queries return them newest first. */
const FIXTURES: Fixture[] = [
  {
    requestId: 'a',
    at: T0 - 2 * 24 * HOUR,
    agent: 'copilot',
    user: 'user:default/alice',
    tool: 'get_entity',
    end: ok,
  },
  {
    requestId: 'b',
    at: T0 - 23 * HOUR,
    agent: 'copilot',
    user: 'user:default/bob',
    tool: 'get_entity',
    end: ok,
  },
  {
    requestId: 'c',
    at: T0 - 5 * HOUR,
    agent: 'copilot',
    user: 'user:default/alice',
    tool: 'refresh_entity',
    end: deniedEnd('permission-denied'),
  },
  {
    requestId: 'd',
    at: T0 - 2 * HOUR,
    agent: 'scout',
    tool: 'list_entities',
    end: ok,
  },
  {
    requestId: 'e',
    at: T0 - 30 * MINUTE,
    agent: 'copilot',
    user: 'user:default/alice',
    tool: 'get_entity',
    end: deniedEnd('rate-limited'),
  },
  {
    requestId: 'f',
    at: T0 - 20 * MINUTE,
    agent: 'scout',
    tool: 'get_entity',
    end: deniedEnd('tool-not-allowed'),
  },
  {
    requestId: 'g',
    at: T0 - 10 * MINUTE,
    agent: 'copilot',
    user: 'user:default/bob',
    tool: 'get_entity',
    end: {
      outcome: 'failed',
      stage: 'operation',
      code: 'downstream-failed',
      reason: 'boom',
      durationMs: 4,
    },
  },
  {
    requestId: 'h',
    at: T0 - 5 * MINUTE,
    end: {
      outcome: 'unauthenticated',
      stage: 'identity',
      code: 'unknown-caller',
      reason: 'Who?',
      durationMs: 0,
    },
  },
  {
    requestId: 'i',
    at: T0 - 1 * MINUTE,
    agent: 'copilot',
    user: 'user:default/alice',
    tool: 'get_entity',
    end: ok,
  },
  { requestId: 'j', at: T0, agent: 'scout', tool: 'list_entities', end: ok },
];

async function withFixtures(knex: Knex, fixtures = FIXTURES) {
  let now = 0;
  const sink = new DatabaseAuditSink({ knex, replica: 'r1', now: () => now });
  for (const f of fixtures) {
    now = f.at;
    const start: AuditStart = {
      requestId: f.requestId,
      agentId: f.agent,
      user: f.user,
      method: f.tool ? 'tools/call' : 'HTTP POST',
      operation: f.tool
        ? { kind: 'tool', name: f.tool, access: 'read' }
        : undefined,
    };
    await (await sink.begin(start)).end(f.end);
  }
  return new AuditQuery(knex);
}

/** A cursor that base64 decodes to the same bytes: changed only in unused bits. */
function sameBytesOtherText(cursor: string) {
  const alphabet =
    'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const bytes = Buffer.from(cursor, 'base64url');
  const variant = [...alphabet]
    .map(c => cursor.slice(0, -1) + c)
    .find(c => c !== cursor && Buffer.from(c, 'base64url').equals(bytes));
  if (!variant) throw new Error('This cursor has no unused bits to change');
  return variant;
}

const idsOf = (records: AuditRecordView[]) => records.map(r => r.requestId);

async function listed(query: AuditQuery, filter: AuditFilter) {
  return idsOf((await query.list(filter, { limit: 100 })).records);
}

describe('AuditQuery', () => {
  it.each(databases.ids)(
    'returns records newest first, as views, on %p',
    async id => {
      const knex = await databases.migrated(id);
      const sink = new DatabaseAuditSink({
        knex,
        replica: 'replica-7',
        now: () => T0,
      });
      await (
        await sink.begin({
          requestId: 'req-1',
          agentId: 'copilot',
          principal: 'service:copilot',
          user: 'user:default/alice',
          actor: 'plugin:portal-chat',
          client: { name: 'claude-code' },
          protocolVersion: '2025-11-25',
          method: 'tools/call',
          operation: {
            kind: 'tool',
            name: 'refresh_entity',
            access: 'write',
            source: 'gateway',
          },
          arguments: { ref: 'component:default/a', nested: [1, { b: null }] },
        })
      ).end({
        outcome: 'refused',
        stage: 'limits',
        code: 'rate-limited',
        reason: 'Slow down.',
        durationMs: 2.2,
        resultBytes: 10,
      });
      const query = new AuditQuery(knex);
      const { records, nextCursor } = await query.list({}, { limit: 10 });
      expect(nextCursor).toBeUndefined();
      expect(records).toEqual([
        {
          id: expect.stringMatching(/^[0-9a-f-]{36}$/),
          time: '2026-11-21T12:00:00.000Z',
          replica: 'replica-7',
          requestId: 'req-1',
          agent: 'copilot',
          principal: 'service:copilot',
          onBehalfOf: 'user:default/alice',
          actor: 'plugin:portal-chat',
          client: { name: 'claude-code' },
          protocolVersion: '2025-11-25',
          method: 'tools/call',
          operation: {
            kind: 'tool',
            name: 'refresh_entity',
            access: 'write',
            source: 'gateway',
          },
          arguments: { ref: 'component:default/a', nested: [1, { b: null }] },
          decision: 'refused',
          stage: 'limits',
          reason: 'rate-limited',
          outcome: 'error',
          message: 'Slow down.',
          durationMs: 2,
          resultBytes: 10,
        },
      ]);
      // Absent values are left out, not null.
      await (
        await sink.begin({ requestId: 'req-2', method: 'HTTP GET' })
      ).end({ outcome: 'succeeded', durationMs: 0 });
      const bare = (
        await query.list({ tool: undefined }, { limit: 10 })
      ).records.find(r => r.requestId === 'req-2');
      expect(Object.keys(bare!).sort()).toEqual(
        [
          'decision',
          'durationMs',
          'id',
          'method',
          'outcome',
          'replica',
          'requestId',
          'time',
        ].sort(),
      );
    },
  );

  it.each(databases.ids)('filters on each field on %p', async id => {
    const query = await withFixtures(await databases.migrated(id));
    expect(await listed(query, {})).toEqual([
      'j',
      'i',
      'h',
      'g',
      'f',
      'e',
      'd',
      'c',
      'b',
      'a',
    ]);
    expect(await listed(query, { agent: 'scout' })).toEqual(['j', 'f', 'd']);
    expect(await listed(query, { user: 'user:default/bob' })).toEqual([
      'g',
      'b',
    ]);
    expect(await listed(query, { tool: 'refresh_entity' })).toEqual(['c']);
    expect(await listed(query, { decision: 'refused' })).toEqual([
      'h',
      'f',
      'e',
      'c',
    ]);
    expect(await listed(query, { decision: 'allowed' })).toEqual([
      'j',
      'i',
      'g',
      'd',
      'b',
      'a',
    ]);
    expect(await listed(query, { reason: 'rate-limited' })).toEqual(['e']);
    expect(await listed(query, { outcome: 'error' })).toEqual([
      'h',
      'g',
      'f',
      'e',
      'c',
    ]);
    expect(await listed(query, { outcome: 'ok' })).toEqual([
      'j',
      'i',
      'd',
      'b',
      'a',
    ]);
    expect(await listed(query, { agent: 'nobody' })).toEqual([]);
  });

  it.each(databases.ids)(
    'narrows to MCP requests, admin reads or other admin requests on %p',
    async id => {
      const knex = await databases.migrated(id);
      let now = T0;
      const sink = new DatabaseAuditSink({
        knex,
        replica: 'r1',
        now: () => now,
      });
      const methods: Record<string, string> = {
        call: 'tools/call',
        list: 'tools/list',
        http: 'HTTP POST',
        read: 'admin: GET agents',
        audit: 'admin: GET audit',
        disable: 'admin: POST agents/disable',
        probe: 'admin: unknown route',
      };
      for (const [requestId, method] of Object.entries(methods)) {
        now += 1000;
        await (
          await sink.begin({ requestId, method, agentId: 'copilot' })
        ).end({ outcome: 'succeeded', durationMs: 1 });
      }
      const query = new AuditQuery(knex);
      const kinds = async (...kind: AuditKind[]) =>
        (await listed(query, { kind })).sort();
      expect(await kinds('mcp')).toEqual(['call', 'http', 'list']);
      expect(await kinds('admin-read')).toEqual(['audit', 'read']);
      expect(await kinds('admin-change')).toEqual(['disable', 'probe']);
      expect(await kinds('mcp', 'admin-change')).toEqual(
        ['call', 'disable', 'http', 'list', 'probe'].sort(),
      );
      expect(await kinds('mcp', 'admin-read', 'admin-change')).toHaveLength(7);
      // With the other filters, and in the export too.
      expect(
        (
          await listed(query, { kind: ['admin-read'], agent: 'copilot' })
        ).sort(),
      ).toEqual(['audit', 'read']);
      const exported: string[] = [];
      for await (const record of query.export({ kind: ['admin-change'] })) {
        exported.push(record.requestId);
      }
      expect(exported.sort()).toEqual(['disable', 'probe']);
    },
  );

  it.each(databases.ids)(
    'combines filters and time bounds (both inclusive) on %p',
    async id => {
      const query = await withFixtures(await databases.migrated(id));
      expect(
        await listed(query, {
          agent: 'copilot',
          user: 'user:default/alice',
          decision: 'allowed',
        }),
      ).toEqual(['i', 'a']);
      expect(
        await listed(query, {
          agent: 'copilot',
          tool: 'get_entity',
          outcome: 'error',
        }),
      ).toEqual(['g', 'e']);
      expect(await listed(query, { since: T0 - 30 * MINUTE })).toEqual([
        'j',
        'i',
        'h',
        'g',
        'f',
        'e',
      ]);
      expect(await listed(query, { until: T0 - 5 * HOUR })).toEqual([
        'c',
        'b',
        'a',
      ]);
      expect(
        await listed(query, { since: T0 - 2 * HOUR, until: T0 - 10 * MINUTE }),
      ).toEqual(['g', 'f', 'e', 'd']);
      expect(
        await listed(query, {
          since: T0 - 2 * HOUR,
          until: T0 - 10 * MINUTE,
          agent: 'scout',
        }),
      ).toEqual(['f', 'd']);
    },
  );

  it.each(databases.ids)(
    'pages through 25 records, ten at a time, each once in order on %p',
    async id => {
      const knex = await databases.migrated(id);
      // Several records share a time, so the id must break the tie.
      const fixtures = Array.from({ length: 25 }, (_, i) => ({
        requestId: `r${String(i).padStart(2, '0')}`,
        at: T0 + Math.floor(i / 3) * 1000,
        agent: 'copilot',
        end: ok,
      }));
      const query = await withFixtures(knex, fixtures);
      const everything = idsOf((await query.list({}, { limit: 100 })).records);
      expect(everything).toHaveLength(25);

      const seen: string[] = [];
      const pageSizes: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await query.list(
          { agent: 'copilot' },
          { limit: 10, cursor },
        );
        seen.push(...idsOf(page.records));
        pageSizes.push(page.records.length);
        cursor = page.nextCursor;
      } while (cursor);
      expect(pageSizes).toEqual([10, 10, 5]);
      expect(seen).toEqual(everything);
      expect(new Set(seen).size).toBe(25);
      // Newest first: times never increase down the list.
      const rows = await knex(AUDIT_TABLE).select('request_id', 'created_at');
      const timeOf = new Map(
        rows.map(r => [r.request_id, Number(r.created_at)]),
      );
      const times = seen.map(r => timeOf.get(r)!);
      expect([...times].sort((x, y) => y - x)).toEqual(times);
    },
  );

  it.each(databases.ids)(
    'refuses a malformed or tampered cursor with an InputError on %p',
    async id => {
      const query = await withFixtures(await databases.migrated(id));
      const { nextCursor } = await query.list({}, { limit: 3 });
      expect(nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const tampered = [
        'not a cursor!',
        `${nextCursor}x`,
        nextCursor!.slice(0, -2),
        Buffer.from('{"t":"yesterday","i":"x"}').toString('base64url'),
        Buffer.from('{"t":1,"i":"x","sql":"drop"}').toString('base64url'),
        Buffer.from('[1,2]').toString('base64url'),
        '',
        sameBytesOtherText(nextCursor!),
      ];
      for (const cursor of tampered) {
        const attempt = query.list({}, { limit: 3, cursor });
        await expect(attempt).rejects.toBeInstanceOf(InputError);
        await expect(attempt).rejects.toThrow('Invalid audit cursor');
      }
      await expect(
        query.list({}, { limit: 3, cursor: nextCursor }),
      ).resolves.toBeDefined();
    },
  );

  it.each(databases.ids)('clamps the page size on %p', async id => {
    const query = await withFixtures(await databases.migrated(id));
    expect((await query.list({}, { limit: 0 })).records).toHaveLength(1);
    expect((await query.list({}, { limit: Number.NaN })).records).toHaveLength(
      1,
    );
    expect((await query.list({}, { limit: 10_000 })).records).toHaveLength(10);
  });

  it.each(databases.ids)(
    'exports every matching record, a page at a time, on %p',
    async id => {
      const knex = await databases.migrated(id);
      const total = MAX_PAGE * 2 + 7;
      const rows = Array.from({ length: total }, (_, i) =>
        completeAuditRow(
          {
            requestId: `r${i}`,
            agentId: i % 2 ? 'copilot' : 'scout',
            method: 'tools/list',
          },
          {
            id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
            createdAt: T0 + (i % 50),
            replica: 'r',
          },
          ok,
        ),
      );
      for (let i = 0; i < rows.length; i += 30) {
        await knex(AUDIT_TABLE).insert(rows.slice(i, i + 30));
      }
      const query = new AuditQuery(knex);
      const selects: string[] = [];
      knex.on('query', (q: { sql: string }) => selects.push(q.sql));

      const exported: string[] = [];
      for await (const record of query.export({})) exported.push(record.id);
      expect(exported).toHaveLength(total);
      expect(new Set(exported).size).toBe(total);
      expect(selects.length).toBe(3);
      const listedAll: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await query.list({}, { limit: MAX_PAGE, cursor });
        listedAll.push(...page.records.map(r => r.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(exported).toEqual(listedAll);

      const scouts: string[] = [];
      for await (const record of query.export({ agent: 'scout' }))
        scouts.push(record.agent!);
      expect(scouts).toHaveLength(Math.ceil(total / 2));
      expect(new Set(scouts)).toEqual(new Set(['scout']));
    },
  );

  it.each(databases.ids)(
    'counts calls and refusals per agent over the last hour and day on %p',
    async id => {
      const query = await withFixtures(await databases.migrated(id));
      const activity = await query.activity(T0);
      expect(Object.fromEntries(activity)).toEqual({
        copilot: {
          lastCallAt: new Date(T0 - MINUTE).toISOString(),
          // e (refused), g (failed: allowed), i
          lastHour: { calls: 3, refusals: 1 },
          // b, c (refused), e (refused), g, i; a is two days old
          lastDay: { calls: 5, refusals: 2 },
        },
        scout: {
          lastCallAt: new Date(T0).toISOString(),
          lastHour: { calls: 2, refusals: 1 },
          lastDay: { calls: 3, refusals: 1 },
        },
      });
      // A week later nothing is recent, but the last call is still known.
      const later = await query.activity(T0 + 7 * 24 * HOUR);
      expect(later.get('copilot')).toEqual({
        lastCallAt: new Date(T0 - MINUTE).toISOString(),
        lastHour: { calls: 0, refusals: 0 },
        lastDay: { calls: 0, refusals: 0 },
      });
    },
  );

  describe('agentActivity', () => {
    // Five-minute slices, the last holding `to`: [from, from + 5 min) ... [T0, T0 + 5 min).
    const SLICE = 5 * MINUTE;
    const from = T0 - 11 * SLICE;
    const to = T0 + 2 * MINUTE;
    const span = { from, to, bucketMs: SLICE };

    let rowCount = 0;
    /** A row at that time, ended as given (or still pending). */
    function row(
      at: number,
      end: AuditEnd | 'pending',
      agentId: string | null = 'copilot',
    ): AuditRow {
      rowCount += 1;
      const start: AuditStart = {
        requestId: `q${rowCount}`,
        agentId: agentId ?? undefined,
        method: 'tools/call',
      };
      const context = {
        id: `00000000-0000-4000-8000-${String(rowCount).padStart(12, '0')}`,
        createdAt: at,
        replica: 'r',
      };
      return end === 'pending'
        ? pendingAuditRow(start, context)
        : completeAuditRow(start, context, end);
    }
    const refusal = (code: string, stage: Stage, reason: string) => ({
      outcome: 'refused' as const,
      stage,
      code,
      reason,
      durationMs: 0,
    });
    const failed: AuditEnd = {
      outcome: 'failed',
      stage: 'operation',
      code: 'downstream-failed',
      reason: 'boom',
      durationMs: 3,
    };

    async function queryWith(id: TestDatabaseId, rows: AuditRow[]) {
      const knex = await databases.migrated(id);
      for (let i = 0; i < rows.length; i += 30) {
        await knex(AUDIT_TABLE).insert(rows.slice(i, i + 30));
      }
      return new AuditQuery(knex);
    }

    it.each(databases.ids)(
      'counts calls, refusals and errors per slice, slices by their start, on %p',
      async id => {
        const query = await queryWith(id, [
          // Just before the window, and just after its end: neither counts.
          row(from - 1, ok),
          row(to + 1, deniedEnd('rate-limited')),
          // The first slice: its very first and very last millisecond.
          row(from, ok),
          row(from + SLICE - 1, deniedEnd('rate-limited')),
          // The second slice starts exactly here.
          row(from + SLICE, failed),
          row(from + SLICE + 1, 'pending'),
          row(from + SLICE + 2, ok),
          // The slice holding `to`, and `to` itself.
          row(T0, { outcome: 'invalid', code: 'invalid-input', durationMs: 0 }),
          row(to, ok),
          // Other agents, and records of no agent, in the window.
          row(from + SLICE, deniedEnd('rate-limited'), 'scout'),
          row(T0, ok, 'scout'),
          row(T0, failed, null),
        ]);
        const { buckets } = await query.agentActivity('copilot', span);
        expect(buckets).toEqual([
          { start: from, calls: 2, refusals: 1, errors: 0 },
          // The failed call is allowed but an error; the pending one only a call.
          { start: from + SLICE, calls: 3, refusals: 0, errors: 1 },
          { start: T0, calls: 2, refusals: 1, errors: 0 },
        ]);
        expect((await query.agentActivity('scout', span)).buckets).toEqual([
          { start: from + SLICE, calls: 1, refusals: 1, errors: 0 },
          { start: T0, calls: 1, refusals: 0, errors: 0 },
        ]);
        expect(await query.agentActivity('nobody', span)).toEqual({
          buckets: [],
          refusals: [],
        });
      },
    );

    it.each(databases.ids)(
      'slices six-hour slices of a week as the epoch does on %p',
      async id => {
        const SIX_HOURS = 6 * HOUR;
        const weekFrom =
          Math.floor(T0 / SIX_HOURS) * SIX_HOURS - 27 * SIX_HOURS;
        const query = await queryWith(id, [
          row(weekFrom + SIX_HOURS - 1, ok),
          row(weekFrom + 26 * SIX_HOURS, failed),
          row(weekFrom + 27 * SIX_HOURS - 1, ok),
          row(T0, ok),
        ]);
        const { buckets } = await query.agentActivity('copilot', {
          from: weekFrom,
          to: T0,
          bucketMs: SIX_HOURS,
        });
        expect(buckets).toEqual([
          { start: weekFrom, calls: 1, refusals: 0, errors: 0 },
          {
            start: weekFrom + 26 * SIX_HOURS,
            calls: 2,
            refusals: 0,
            errors: 1,
          },
          {
            start: weekFrom + 27 * SIX_HOURS,
            calls: 1,
            refusals: 0,
            errors: 0,
          },
        ]);
      },
    );

    it.each(databases.ids)(
      'groups refusals by reason, the newest speaking for each, most frequent first, on %p',
      async id => {
        const noReason = row(from + 3 * MINUTE, 'pending');
        Object.assign(noReason, {
          decision: 'refused',
          outcome: 'error',
          message: 'Refused without a code.',
        });
        const query = await queryWith(id, [
          row(
            from + MINUTE,
            refusal('rate-limited', 'policy', 'older, other stage'),
          ),
          row(
            T0 - HOUR,
            refusal('rate-limited', 'limits', 'before the window'),
          ),
          row(T0, refusal('rate-limited', 'limits', 'Slow down: 10 a minute.')),
          row(from + 20 * MINUTE, refusal('rate-limited', 'limits', 'middle')),
          row(to - 1, refusal('tool-not-allowed', 'policy', 'Not for you.')),
          row(from + 2 * MINUTE, refusal('invalid-input', 'input', 'Bad ref.')),
          noReason,
          // Allowed records and other agents' refusals are no refusals of copilot's.
          row(T0, failed),
          row(T0, ok),
          row(T0, refusal('tool-not-allowed', 'policy', 'Scout, no.'), 'scout'),
        ]);
        const { refusals } = await query.agentActivity('copilot', span);
        expect(refusals).toEqual([
          {
            reason: 'rate-limited',
            stage: 'limits',
            count: 3,
            lastAt: new Date(T0).toISOString(),
            example: 'Slow down: 10 a minute.',
          },
          // One each: the most recent first.
          {
            reason: 'tool-not-allowed',
            stage: 'policy',
            count: 1,
            lastAt: new Date(to - 1).toISOString(),
            example: 'Not for you.',
          },
          {
            reason: 'unknown',
            count: 1,
            lastAt: new Date(from + 3 * MINUTE).toISOString(),
            example: 'Refused without a code.',
          },
          {
            reason: 'invalid-input',
            stage: 'input',
            count: 1,
            lastAt: new Date(from + 2 * MINUTE).toISOString(),
            example: 'Bad ref.',
          },
        ]);
      },
    );

    it.each(databases.ids)(
      'returns at most MAX_REFUSAL_REASONS reasons, the most frequent kept, on %p',
      async id => {
        const many = MAX_REFUSAL_REASONS + 5;
        const query = await queryWith(id, [
          ...Array.from({ length: many }, (_, i) =>
            row(from + i * 1000, refusal(`reason-${i}`, 'policy', `#${i}`)),
          ),
          // The oldest reason, but twice: it comes first and stays.
          row(from + many * 1000, refusal('reason-0', 'policy', 'again')),
        ]);
        const { refusals } = await query.agentActivity('copilot', span);
        expect(refusals).toHaveLength(MAX_REFUSAL_REASONS);
        expect(refusals[0]).toMatchObject({
          reason: 'reason-0',
          count: 2,
          example: 'again',
        });
        // The rest newest first: the oldest single reasons fall off.
        expect(refusals[1].reason).toBe(`reason-${many - 1}`);
        expect(refusals.map(r => r.reason)).not.toContain('reason-5');
        expect(refusals.at(-1)!.reason).toBe('reason-6');
      },
    );
  });
});
