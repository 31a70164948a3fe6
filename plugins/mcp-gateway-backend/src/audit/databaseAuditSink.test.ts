import { Knex } from 'knex';
import { Request } from 'express';
import { gatewayTestDatabases } from '../__testUtils__/databases';
import { AuditEnd, AuditStart } from './auditRecord';
import { DatabaseAuditSink } from './databaseAuditSink';

jest.setTimeout(60_000);

const databases = gatewayTestDatabases();

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

function sinkOn(knex: Knex) {
  let n = 0;
  return new DatabaseAuditSink({
    knex,
    replica: 'replica-a',
    now: () => T0,
    idOf: () => `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}`,
  });
}

const read: AuditStart = {
  requestId: 'req-1',
  agentId: 'copilot',
  principal: 'service:copilot',
  user: 'user:default/alice',
  actor: 'plugin:portal-chat',
  client: { name: 'claude-code', version: '2.1.0' },
  protocolVersion: '2025-11-25',
  method: 'tools/call',
  operation: {
    kind: 'tool',
    name: 'get_entity',
    access: 'read',
    source: 'gateway',
  },
  arguments: { entityRef: 'component:default/a', token: '[secret]' },
  request: {
    headers: { authorization: 'Bearer must-never-be-stored' },
  } as unknown as Request,
};

const write: AuditStart = {
  ...read,
  requestId: 'req-2',
  operation: {
    kind: 'tool',
    name: 'refresh_entity',
    access: 'write',
    source: 'gateway',
  },
  arguments: { ref: 'component:default/a' },
};

const succeeded: AuditEnd = {
  outcome: 'succeeded',
  durationMs: 12.6,
  resultBytes: 345,
};

const rows = (knex: Knex) =>
  knex('audit_records').select('*').orderBy('created_at');

describe('DatabaseAuditSink', () => {
  it.each(databases.ids)(
    'writes a read only when it ends, with every column mapped, on %p',
    async id => {
      const knex = await databases.migrated(id);
      const sink = sinkOn(knex);
      const entry = await sink.begin(read);
      expect(await rows(knex)).toEqual([]);

      await entry.end(succeeded);
      const [row] = await rows(knex);
      expect({ ...row, created_at: Number(row.created_at) }).toEqual({
        id: '00000000-0000-4000-8000-000000000000',
        created_at: T0,
        replica: 'replica-a',
        request_id: 'req-1',
        agent_id: 'copilot',
        principal: 'service:copilot',
        on_behalf_of: 'user:default/alice',
        actor: 'plugin:portal-chat',
        client_name: 'claude-code',
        client_version: '2.1.0',
        protocol_version: '2025-11-25',
        method: 'tools/call',
        operation_kind: 'tool',
        operation_name: 'get_entity',
        access: 'read',
        source: 'gateway',
        arguments: '{"entityRef":"component:default/a","token":"[secret]"}',
        decision: 'allowed',
        stage: null,
        reason: null,
        outcome: 'ok',
        message: null,
        duration_ms: 13,
        result_bytes: 345,
      });
      expect(JSON.stringify(row)).not.toContain('must-never-be-stored');
    },
  );

  it.each(databases.ids)(
    'records refusals and failures with their reason code and message on %p',
    async id => {
      const knex = await databases.migrated(id);
      const sink = sinkOn(knex);
      await (
        await sink.begin({ requestId: 'r1', method: 'HTTP POST' })
      ).end({
        outcome: 'unauthenticated',
        stage: 'identity',
        code: 'unknown-caller',
        reason: 'No agent matches this caller.',
        durationMs: 0,
      });
      await (
        await sink.begin({ ...read, requestId: 'r2' })
      ).end({
        outcome: 'failed',
        stage: 'operation',
        code: 'downstream-failed',
        reason: 'x'.repeat(5000),
        durationMs: 3,
      });
      const [refusal, failure] = await rows(knex);
      expect(refusal).toMatchObject({
        request_id: 'r1',
        agent_id: null,
        operation_name: null,
        arguments: null,
        decision: 'refused',
        outcome: 'error',
        stage: 'identity',
        reason: 'unknown-caller',
        message: 'No agent matches this caller.',
      });
      expect(failure).toMatchObject({
        decision: 'allowed',
        outcome: 'error',
        reason: 'downstream-failed',
      });
      expect(failure.message).toMatch(
        /^x{1000}… \(4000 more characters cut\)$/,
      );
    },
  );

  it.each(databases.ids)(
    'bounds huge arguments and cuts overlong strings to their columns on %p',
    async id => {
      const knex = await databases.migrated(id);
      const sink = sinkOn(knex);
      await (
        await sink.begin({
          ...read,
          client: { name: 'n'.repeat(1000), version: 'v\u00001' },
          arguments: { blob: 'b'.repeat(100_000) },
        })
      ).end(succeeded);
      const [row] = await rows(knex);
      expect(row.client_name).toBe('n'.repeat(255));
      expect(row.client_version).toBe('v1');
      expect(JSON.parse(row.arguments)).toMatchObject({
        truncated: true,
        bytes: 100_011,
      });
    },
  );

  it.each(databases.ids)(
    "writes a write's record as pending before it runs, and completes it on %p",
    async id => {
      const knex = await databases.migrated(id);
      const sink = sinkOn(knex);
      const entry = await sink.begin(write);
      expect(await rows(knex)).toEqual([
        expect.objectContaining({
          request_id: 'req-2',
          operation_name: 'refresh_entity',
          access: 'write',
          arguments: '{"ref":"component:default/a"}',
          decision: 'pending',
          outcome: 'pending',
          duration_ms: null,
        }),
      ]);

      await entry.end({
        outcome: 'refused',
        stage: 'permission',
        code: 'permission-denied',
        reason: 'Not allowed.',
        durationMs: 5,
      });
      expect(await rows(knex)).toEqual([
        expect.objectContaining({
          request_id: 'req-2',
          operation_name: 'refresh_entity',
          decision: 'refused',
          outcome: 'error',
          stage: 'permission',
          reason: 'permission-denied',
          message: 'Not allowed.',
          duration_ms: 5,
        }),
      ]);
      await expect(entry.end(succeeded)).rejects.toThrow('already ended');
    },
  );

  it.each(databases.ids)(
    'writes the whole row when a pending row has gone before its end on %p',
    async id => {
      const knex = await databases.migrated(id);
      const sink = sinkOn(knex);
      const entry = await sink.begin(write);
      expect(await sink.purgeBefore(T0 + 1)).toBe(1);
      await entry.end(succeeded);
      expect(await rows(knex)).toEqual([
        expect.objectContaining({
          request_id: 'req-2',
          decision: 'allowed',
          outcome: 'ok',
        }),
      ]);
    },
  );

  it.each(databases.ids)(
    'commits 200 concurrent requests in groups, each answered after its own row, on %p',
    async id => {
      const knex = await databases.migrated(id);
      const sink = new DatabaseAuditSink({ knex, replica: 'r' });
      const statements: string[] = [];
      knex.on('query', (query: { sql: string }) => statements.push(query.sql));

      const committedAtEnd: boolean[] = [];
      await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const requestId = `req-${i}`;
          const entry = await sink.begin(
            i % 4 === 0 ? { ...write, requestId } : { ...read, requestId },
          );
          await entry.end(succeeded);
          // The sink said "written": the row must be there, complete.
          const row = await knex('audit_records')
            .where({ request_id: requestId })
            .first();
          committedAtEnd.push(row?.outcome === 'ok');
        }),
      );

      expect(committedAtEnd).toHaveLength(200);
      expect(committedAtEnd.every(Boolean)).toBe(true);
      const all = await knex('audit_records').select('request_id', 'decision');
      expect(new Set(all.map(r => r.request_id)).size).toBe(200);
      expect(all.every(r => r.decision === 'allowed')).toBe(true);
      const inserts = statements.filter(sql => /^insert/i.test(sql));
      expect(inserts.length).toBeLessThan(20);
    },
  );

  it.each(databases.ids)(
    'rejects begin and end when the store cannot be written on %p',
    async id => {
      const knex = await databases.migrated(id);
      const sink = sinkOn(knex);
      const pendingWrite = await sink.begin(write);
      const pendingRead = await sink.begin(read);
      await knex.schema.dropTable('audit_records');

      // The driver's reason, without the statement knex puts before it.
      await expect(sink.begin(write)).rejects.toThrow(
        /^The audit record could not be written: (relation "audit_records" does not exist|no such table: audit_records)$/,
      );
      await expect(pendingRead.end(succeeded)).rejects.toThrow(
        'The audit record could not be written',
      );
      await expect(pendingWrite.end(succeeded)).rejects.toThrow(
        'The audit record could not be written',
      );
    },
  );

  it.each(databases.ids)(
    'rejects when the database connection is gone on %p',
    async id => {
      const knex = await databases.migrated(id);
      const sink = sinkOn(knex);
      const entry = await sink.begin(read);
      await knex.destroy();
      await expect(sink.begin(write)).rejects.toThrow(
        'The audit record could not be written',
      );
      await expect(entry.end(succeeded)).rejects.toThrow(
        'The audit record could not be written',
      );
    },
  );

  it.each(databases.ids)(
    'purges records older than the cut-off on %p',
    async id => {
      const knex = await databases.migrated(id);
      let now = T0;
      const sink = new DatabaseAuditSink({
        knex,
        replica: 'r',
        now: () => now,
      });
      for (const time of [T0 - 3000, T0 - 2000, T0 - 1000, T0]) {
        now = time;
        await (await sink.begin(read)).end(succeeded);
      }
      expect(await sink.purgeBefore(T0 - 1000)).toBe(2);
      const left = await rows(knex);
      expect(left.map(r => Number(r.created_at))).toEqual([T0 - 1000, T0]);
    },
  );
});
