import { fakeLogger, inMemoryCatalog } from '../__testUtils__/unitDoubles';
import { NotFoundError, ResponseError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { z } from 'zod';
import {
  boundServices,
  unitDownstreamOptions,
} from '../__testUtils__/boundServices';
import { AuditEnd, AuditSink, AuditStart } from '../audit/auditRecord';
import { Caller } from '../core/caller';
import { GatedCall, Gate } from '../core/gate';
import { Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { CallerServicesFactory } from '../downstream/callerServices';
import { CallerResolver } from '../identity/resolveCaller';
import { AgentDataPolicies } from '../policy/agentDataPolicy';
import { GatewayToolSource } from '../tools/gatewayToolSource';
import { SourcedTool, ToolSource } from '../tools/source';
import { defineTool, GatewayTool } from '../tools/types';
import { InFlightCalls } from '../control/inFlightCalls';
import { Corridor, Exchange } from './corridor';

/** Everything that happened, in order: audit begins and ends, gates, runs. */
type Trace = string[];

const echoTool = (trace: Trace, run?: () => Promise<unknown>) =>
  defineTool({
    name: 'echo',
    title: 'Echo',
    description: 'Says it back',
    access: 'read',
    idempotent: true,
    input: z.object({ text: z.string().max(10), times: z.number().default(1) }),
    output: z.object({ text: z.string() }),
    async run(_ctx, { text, times }) {
      trace.push('run echo');
      if (run) return (await run()) as { text: string };
      return { text: text.repeat(times) };
    },
    render: ({ text }) => `said ${text}`,
  });

const writeTool = (trace: Trace) =>
  defineTool({
    name: 'write_thing',
    title: 'Write a thing',
    description: 'Changes something',
    access: 'write',
    idempotent: false,
    input: z.object({ target: z.string() }),
    output: z.object({ done: z.boolean() }),
    async run() {
      trace.push('run write_thing');
      return { done: true };
    },
    render: () => 'done',
  });

class RecordingSink implements AuditSink {
  readonly records: Array<{ start: AuditStart; end?: AuditEnd }> = [];
  failBegin = false;
  failEnd = false;

  constructor(private readonly trace: Trace) {}

  async begin(start: AuditStart) {
    this.trace.push(`begin ${start.method} ${start.operation?.name ?? ''}`);
    if (this.failBegin) throw new Error('audit store down');
    const record: { start: AuditStart; end?: AuditEnd } = { start };
    this.records.push(record);
    return {
      end: async (end: AuditEnd) => {
        this.trace.push(`end ${end.outcome}`);
        if (this.failEnd) throw new Error('audit store down');
        record.end = end;
      },
    };
  }
}

/** A gate refusing the named operations, and saying when it was asked. */
function refusing(
  names: string[],
  trace: Trace,
  options: Partial<Pick<Gate, 'appliesTo' | 'stage'>> = {},
): Gate {
  const stage = options.stage ?? 'control';
  return {
    stage,
    appliesTo: options.appliesTo ?? 'both',
    async decide(_caller: Caller, operations: readonly Operation[]) {
      trace.push(`${stage} asked about ${operations.map(o => o.name)}`);
      return operations.map(o =>
        names.includes(o.name)
          ? new GatewayRefusal(stage, 'stopped', `${o.name} is stopped`)
          : undefined,
      );
    },
  };
}

/** The catalog, telling `onCall` the name of every method called on it. */
function recordingCatalog(
  catalog: CatalogService,
  onCall: (method: string) => void = () => {},
): CatalogService {
  return new Proxy(catalog, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        onCall(String(property));
        return value.apply(target, args);
      };
    },
  });
}

function setup(
  options: {
    gates?: (trace: Trace) => Gate[];
    tools?: (trace: Trace) => GatewayTool[];
    sources?: ToolSource[];
    auditFailurePolicy?: 'open' | 'closed';
    /** Told the name of every catalog method a tool's services call. */
    onCatalogCall?: (method: string) => void;
  } = {},
) {
  const trace: Trace = [];
  const inFlight = new InFlightCalls();
  const audit = new RecordingSink(trace);
  const logger = fakeLogger();
  const catalog = recordingCatalog(inMemoryCatalog(), options.onCatalogCall);
  const { caller } = boundServices(catalog, {
    id: 'bot',
    readOnly: false,
    redact: ['spec.secret'],
    tools: { allow: ['**'] },
  });
  const dataPolicies = new AgentDataPolicies();
  const corridor = new Corridor({
    resources: [],
    prompts: [],
    resolver: {} as CallerResolver,
    sources: options.sources ?? [
      new GatewayToolSource(
        options.tools?.(trace) ?? [echoTool(trace), writeTool(trace)],
      ),
    ],
    gates: options.gates?.(trace) ?? [],
    dataPolicies,
    services: new CallerServicesFactory(
      unitDownstreamOptions({ catalog, dataPolicies }),
    ),
    audit,
    auditFailurePolicy: () => options.auditFailurePolicy ?? 'closed',
    inFlight,
    logger,
  });
  const exchange: Exchange = { caller, requestId: 'request-1' };
  const call = (name: string, args: unknown = {}) =>
    corridor.callTool(exchange, {
      name,
      arguments: args,
      signal: new AbortController().signal,
    });
  const listed = async () => {
    const answer = await corridor.listTools(exchange);
    if (!answer.ok) throw new Error(answer.failure.message);
    return answer.value.map(tool => tool.name);
  };
  return { corridor, trace, audit, logger, call, listed, exchange, inFlight };
}

describe('Corridor', () => {
  describe('one decision for listing and calling', () => {
    it('hides from the listing exactly what a gate refuses to calls', async () => {
      const { call, listed, audit } = setup({
        gates: trace => [refusing(['write_thing'], trace)],
      });
      expect(await listed()).toEqual(['echo']);
      const answer = await call('write_thing', { target: 'x' });
      expect(answer).toEqual({
        ok: false,
        failure: {
          outcome: 'refused',
          stage: 'control',
          code: 'stopped',
          message: 'write_thing is stopped',
        },
      });
      expect(audit.records.at(-1)!.end).toMatchObject({
        outcome: 'refused',
        stage: 'control',
        code: 'stopped',
      });
    });

    it('lets a call-only gate (a rate limit) refuse calls without shrinking the listing', async () => {
      const { call, listed, trace } = setup({
        gates: t => [
          refusing(['echo'], t, { appliesTo: 'call', stage: 'limits' }),
        ],
      });
      expect(await listed()).toEqual(['echo', 'write_thing']);
      expect(trace.filter(line => line.startsWith('limits'))).toEqual([]);
      const answer = await call('echo', { text: 'a' });
      expect(answer.ok || answer.failure.stage).toBe('limits');
    });

    it('asks later gates about what earlier gates let through, once per listing', async () => {
      const { listed, trace } = setup({
        gates: t => [
          refusing(['write_thing'], t, { stage: 'policy' }),
          refusing([], t, { stage: 'permission' }),
        ],
      });
      await listed();
      expect(trace.filter(line => / asked /.test(line))).toEqual([
        'policy asked about echo,write_thing',
        'permission asked about echo',
      ]);
    });

    it('fails closed when a gate answers for fewer operations than it was asked about', async () => {
      const { call, listed, trace } = setup({
        gates: () => [
          { stage: 'permission', appliesTo: 'both', decide: async () => [] },
        ],
      });
      await expect(listed()).rejects.toThrow('tools/list failed unexpectedly.');
      const answer = await call('echo', { text: 'a' });
      expect(answer).toMatchObject({
        ok: false,
        failure: { unexpected: true },
      });
      expect(trace).not.toContain('run echo');
    });

    it('asks every source for the caller, so tools appearing after start-up are listed and callable', async () => {
      const trace: Trace = [];
      const offered: SourcedTool[] = [];
      const late = new GatewayToolSource([echoTool(trace)]);
      const dynamic: ToolSource = {
        id: 'late-plugin',
        toolsFor: async () => offered,
        toolFor: async (_caller, name) =>
          offered.find(t => t.operation.name === name),
        operationNamed: async name =>
          offered.find(t => t.operation.name === name)?.operation,
      };
      const { listed, call } = setup({ sources: [dynamic] });
      expect(await listed()).toEqual([]);
      expect((await call('echo', { text: 'a' })).ok).toBe(false);
      offered.push(...(await late.toolsFor()));
      expect(await listed()).toEqual(['echo']);
      expect(await call('echo', { text: 'a' })).toMatchObject({ ok: true });
    });
  });

  it('keeps serving the other sources when one fails', async () => {
    const trace: Trace = [];
    const broken: ToolSource = {
      id: 'broken-plugin',
      toolsFor: async () => {
        throw new Error('unreachable');
      },
      toolFor: async () => {
        throw new Error('unreachable');
      },
      operationNamed: async () => undefined,
    };
    const { listed, call, logger } = setup({
      sources: [broken, new GatewayToolSource([echoTool(trace)])],
    });
    expect(await listed()).toEqual(['echo']);
    expect(await call('echo', { text: 'a' })).toMatchObject({ ok: true });
    expect(logger.warn).toHaveBeenCalledWith(
      "Tool source 'broken-plugin' failed; it offers no tools for now",
      expect.objectContaining({ message: 'unreachable' }),
    );
  });

  describe('gates on the input', () => {
    it('decide on the validated input, defaults applied, before the operation runs', async () => {
      const seen: GatedCall[] = [];
      const { call, trace } = setup({
        gates: () => [
          {
            stage: 'policy',
            appliesTo: 'both',
            async decideInput(gated) {
              seen.push(gated);
              return (gated.input as { text: string }).text === 'no'
                ? new GatewayRefusal(
                    'policy',
                    'value-not-allowed',
                    'not that one',
                  )
                : undefined;
            },
          },
        ],
      });
      const refused = await call('echo', { text: 'no' });
      expect(refused).toMatchObject({
        ok: false,
        failure: { stage: 'policy', code: 'value-not-allowed' },
      });
      expect(trace).not.toContain('run echo');
      expect(seen[0]).toMatchObject({
        requestId: 'request-1',
        operation: { kind: 'tool', name: 'echo', access: 'read' },
        input: { text: 'no', times: 1 },
        targets: {},
      });
      expect(await call('echo', { text: 'yes' })).toMatchObject({ ok: true });
    });

    it('are not asked about input that fails validation; every bad field is named', async () => {
      const asked: unknown[] = [];
      const { call } = setup({
        gates: () => [
          {
            stage: 'policy',
            appliesTo: 'both',
            decideInput: async gated => {
              asked.push(gated);
              return undefined;
            },
          },
        ],
      });
      const answer = await call('echo', { text: 'far too long', times: 'x' });
      expect(asked).toEqual([]);
      expect(answer).toMatchObject({
        ok: false,
        failure: { outcome: 'invalid', stage: 'input', code: 'invalid-input' },
      });
      const { message } = (answer as { failure: { message: string } }).failure;
      expect(message).toMatch(/^Invalid arguments for echo: text: .*; times: /);
    });
  });

  describe('audit, begun at admission and ended with the outcome', () => {
    it('begins the record before any gate or the write, and ends it after', async () => {
      const { call, trace, audit } = setup({
        gates: t => [refusing([], t)],
      });
      await call('write_thing', { target: 'x' });
      expect(trace).toEqual([
        'begin tools/call write_thing',
        'control asked about write_thing',
        'run write_thing',
        'end succeeded',
      ]);
      expect(audit.records[0].start).toMatchObject({
        requestId: 'request-1',
        agentId: 'bot',
        principal: 'bot',
        method: 'tools/call',
        operation: {
          kind: 'tool',
          name: 'write_thing',
          access: 'write',
          source: 'gateway',
        },
        arguments: { target: 'x' },
      });
    });

    it('refuses to run anything when the record cannot be begun', async () => {
      const { call, trace, audit, logger } = setup();
      audit.failBegin = true;
      const answer = await call('write_thing', { target: 'x' });
      expect(trace).not.toContain('run write_thing');
      expect(answer).toMatchObject({
        ok: false,
        failure: { stage: 'audit', code: 'audit-unavailable' },
      });
      expect((answer as any).failure.message).toBe(
        "The gateway could not write this request's audit record, so it was not run (reference request-1).",
      );
      expect(logger.error).toHaveBeenCalled();
    });

    it('withholds the answer when the record cannot be ended, saying a write did run', async () => {
      const { call, audit } = setup();
      audit.failEnd = true;
      const read = await call('echo', { text: 'a' });
      expect((read as any).failure.message).toMatch(
        /so its answer is withheld \(/,
      );
      const write = await call('write_thing', { target: 'x' });
      expect((write as any).failure.message).toMatch(
        /withheld; the operation itself did run/,
      );
    });

    it('under failurePolicy open, runs reads unaudited but never writes', async () => {
      const { call, trace, audit } = setup({ auditFailurePolicy: 'open' });
      audit.failBegin = true;
      const read = await call('echo', { text: 'a' });
      expect(read).toMatchObject({ ok: true });
      expect(trace).toContain('run echo');
      const write = await call('write_thing', { target: 'x' });
      expect(write).toMatchObject({
        ok: false,
        failure: { stage: 'audit', code: 'audit-unavailable' },
      });
      expect(trace).not.toContain('run write_thing');

      audit.failBegin = false;
      audit.failEnd = true;
      expect(await call('echo', { text: 'b' })).toMatchObject({ ok: true });
      expect(await call('write_thing', { target: 'x' })).toMatchObject({
        ok: false,
        failure: { code: 'audit-unavailable' },
      });
    });

    it('logs an audit outage once, and its recovery with how many requests it cost', async () => {
      const { call, audit, logger } = setup();
      audit.failBegin = true;
      for (let i = 0; i < 5; i++) await call('echo', { text: 'a' });
      expect(logger.error).toHaveBeenCalledTimes(1);
      audit.failBegin = false;
      await call('echo', { text: 'a' });
      expect(logger.info).toHaveBeenCalledWith(
        'The audit store recovered; 5 request(s) could not be audited meanwhile',
      );
    });

    it('records the size of the answer and the client that asked', async () => {
      const { corridor, audit, exchange } = setup();
      await corridor.callTool(
        {
          ...exchange,
          client: { name: 'claude-code', version: '2.1' },
          protocolVersion: '2025-11-25',
        },
        {
          name: 'echo',
          arguments: { text: 'abc' },
          signal: new AbortController().signal,
        },
      );
      expect(audit.records[0].start).toMatchObject({
        client: { name: 'claude-code', version: '2.1' },
        protocolVersion: '2025-11-25',
      });
      expect(audit.records[0].end!.resultBytes).toBe(
        Buffer.byteLength(
          JSON.stringify({
            content: [{ type: 'text', text: 'said abc' }],
            structuredContent: { text: 'abc' },
          }),
        ),
      );
    });

    it('masks secrets in the recorded arguments', async () => {
      const { call, audit } = setup();
      await call('echo', { text: 'a', password: 'hunter2' });
      expect(audit.records[0].start.arguments).toEqual({
        text: 'a',
        password: '[secret]',
      });
    });

    it('audits any other MCP method around what the protocol layer runs', async () => {
      const { corridor, audit, exchange } = setup();
      expect(
        await corridor.serveMethod(exchange, 'ping', async () => ({})),
      ).toEqual({ ok: true, value: {} });
      const refused = await corridor.serveMethod(
        exchange,
        'resources/list',
        async () => {
          throw Object.assign(new Error('Method not found'), { code: -32601 });
        },
      );
      expect(refused).toMatchObject({
        ok: false,
        failure: { outcome: 'invalid', code: 'unknown-method' },
      });
      expect(audit.records.map(r => [r.start.method, r.end!.outcome])).toEqual([
        ['ping', 'succeeded'],
        ['resources/list', 'invalid'],
      ]);
    });

    it('records an unknown tool as invalid at the protocol stage', async () => {
      const { call, audit } = setup();
      const answer = await call('no_such_tool');
      expect(answer).toMatchObject({
        ok: false,
        failure: {
          code: 'unknown-operation',
          message: 'Unknown tool: no_such_tool',
        },
      });
      expect(audit.records[0]).toMatchObject({
        start: { operation: { kind: 'tool', name: 'no_such_tool' } },
        end: { outcome: 'invalid', stage: 'protocol' },
      });
    });

    it('uses the exchange request id for every record of the HTTP request', async () => {
      const { call, listed, audit } = setup();
      await listed();
      await call('echo', { text: 'a' });
      expect(audit.records.map(r => r.start.requestId)).toEqual([
        'request-1',
        'request-1',
      ]);
      expect(audit.records[0].end).toMatchObject({ listed: 2 });
    });
  });

  describe('errors, mapped by type', () => {
    const failingWith = (error: unknown) =>
      setup({
        tools: trace => [
          echoTool(trace, async () => {
            throw error;
          }),
        ],
      });

    it('passes on a Backstage error written for the caller', async () => {
      const { call } = failingWith(new NotFoundError('No entity x'));
      expect(await call('echo', { text: 'a' })).toMatchObject({
        ok: false,
        failure: {
          outcome: 'failed',
          stage: 'operation',
          message: 'No entity x',
        },
      });
    });

    it('reports a downstream 403 as a refusal for the caller', async () => {
      const forbidden = await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'nope' },
            response: { statusCode: 403 },
          }),
          { status: 403, headers: { 'content-type': 'application/json' } },
        ) as any,
      );
      const { call } = failingWith(forbidden);
      expect(await call('echo', { text: 'a' })).toMatchObject({
        ok: false,
        failure: {
          outcome: 'refused',
          message: expect.stringMatching(
            /^Backstage refused this request for the caller: /,
          ),
        },
      });
    });

    it('hides an unexpected error behind a reference, and logs it', async () => {
      const { call, logger } = failingWith(new Error('db password is hunter2'));
      const answer = await call('echo', { text: 'a' });
      expect((answer as any).failure.message).toBe(
        'The echo tool failed unexpectedly. The error was logged with reference request-1.',
      );
      expect(logger.error).toHaveBeenCalledWith(
        'echo failed (request request-1)',
        expect.objectContaining({ message: 'db password is hunter2' }),
      );
    });
  });

  it('cuts a call in flight when its agent is stopped: the caller is answered at once, whatever the operation still awaits', async () => {
    const { corridor, exchange, audit, trace, inFlight } = setup({
      tools: tracing => [
        echoTool(tracing, async () => {
          tracing.push('waiting');
          await new Promise(() => {});
        }),
      ],
    });
    const answer = corridor.callTool(exchange, {
      name: 'echo',
      arguments: { text: 'a' },
      signal: new AbortController().signal,
    });
    await new Promise(resolve => setTimeout(resolve, 10));
    expect(trace).toContain('waiting');
    expect(inFlight.abortAgent('bot', "Agent 'bot' was disabled.")).toBe(1);
    expect(await answer).toMatchObject({
      ok: false,
      failure: {
        outcome: 'refused',
        stage: 'control',
        code: 'agent-disabled',
        message: "Agent 'bot' was disabled.",
      },
    });
    expect(audit.records[0].end).toMatchObject({ code: 'agent-disabled' });
    expect(inFlight.size).toBe(0);
  });

  it('starts no downstream call once the call is cut', async () => {
    const catalogCalls: string[] = [];
    const { corridor, exchange, inFlight } = setup({
      onCatalogCall: method => catalogCalls.push(method),
      tools: trace => [
        echoTool(trace),
        defineTool({
          name: 'slow_reader',
          title: 'Slow reader',
          description: 'Reads twice',
          access: 'read',
          idempotent: true,
          input: z.object({}),
          output: z.object({ text: z.string() }),
          async run(ctx) {
            await new Promise(resolve => setTimeout(resolve, 30));
            await ctx.catalog.getByRef('component:default/a');
            return { text: 'done' };
          },
          render: () => 'done',
        }),
      ],
    });
    const answer = corridor.callTool(exchange, {
      name: 'slow_reader',
      arguments: {},
      signal: new AbortController().signal,
    });
    await new Promise(resolve => setTimeout(resolve, 5));
    inFlight.abortAgent('bot', 'stopped');
    expect(await answer).toMatchObject({
      ok: false,
      failure: { code: 'agent-disabled' },
    });
    expect(catalogCalls).toEqual([]);
  });

  it('gives a tool the caller, its bound services and the tools it may call', async () => {
    let seen: any;
    const trace: Trace = [];
    const inspect = defineTool({
      ...echoTool(trace),
      name: 'inspect',
      async run(ctx) {
        seen = {
          agent: ctx.caller.agent.id,
          hasCatalog: typeof ctx.catalog.query === 'function',
          tools: (await ctx.availableTools()).map(t => t.name),
        };
        return { text: 'ok' };
      },
    } as GatewayTool);
    const { call } = setup({
      tools: () => [inspect, writeTool(trace)],
      gates: t => [refusing(['write_thing'], t)],
    });
    expect(await call('inspect', { text: 'a' })).toMatchObject({ ok: true });
    expect(seen).toEqual({
      agent: 'bot',
      hasCatalog: true,
      tools: ['inspect'],
    });
  });
});
