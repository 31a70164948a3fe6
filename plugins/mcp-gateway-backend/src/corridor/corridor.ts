import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { auditedMethodOf } from '../audit/auditedMethod';
import { maskArguments } from '../audit/maskedArguments';
import { AuditSink } from '../audit/auditRecord';
import { Caller } from '../core/caller';
import { UnknownOperation } from '../core/errors';
import { Gate } from '../core/gate';
import { InFlightCalls } from '../control/inFlightCalls';
import { raced } from '../downstream/abortable';
import { CallerServicesFactory } from '../downstream/callerServices';
import { CallerResolver } from '../identity/resolveCaller';
import { AgentDataPolicies } from '../policy/agentDataPolicy';
import { OperationResource } from '../policy/operationResource';
import { ListedTool, SourcedTool, ToolSource } from '../tools/source';
import { ProgressUpdate } from '../tools/types';
import { RefusalCode } from '../core/refusal';
import { AuditBracket } from './auditBracket';
import { GateList } from './gateList';
import { ToolSources } from './toolSources';
import { Answer, explainFailure, FailedSubject, Failure } from './failures';
import { ShapedResult, shapeResult } from './shaping';

export interface CorridorOptions {
  resolver: CallerResolver;
  /** Where tools come from: the gateway's own, later other plugins' actions. */
  sources: ToolSource[];
  /**
   * In order: control, policy, permission, limits. They decide listings
   * and calls alike (see Gate.appliesTo), and calls again on their input.
   */
  gates: Gate[];
  dataPolicies: AgentDataPolicies;
  /** Binds catalog (and later scaffolder, TechDocs, search) to the caller. */
  services: CallerServicesFactory;
  audit: AuditSink;
  /**
   * `closed`: nothing runs whose record cannot be written. `open`: reads
   * still run, logged as unaudited; writes never do. Read per request.
   */
  auditFailurePolicy: () => 'closed' | 'open';
  /** Calls in flight, so that the kill switch can cut them. */
  inFlight: InFlightCalls;
  logger: LoggerService;
}

/** One authenticated HTTP request: who, and the request it came in. */
export interface Exchange {
  caller: Caller;
  /** One id for everything this HTTP request asks. */
  requestId: string;
  /** For the auditor only: it names the caller as the actor from it. */
  request?: Request;
  /** The MCP client, where the protocol carries it. */
  client?: { name?: string; version?: string };
  /** The MCP protocol version of the request, when known. */
  protocolVersion?: string;
}

/** A request the protocol stage turned away before any operation ran. */
export interface ProtocolRefusal {
  /** The caller, when identity was already established. */
  exchange?: Exchange;
  method: string;
  reason: string;
  outcome: 'refused' | 'invalid';
  /** The machine-readable reason, e.g. `origin-not-allowed`. */
  code: RefusalCode;
  stage: 'origin' | 'protocol';
}

export interface ToolCall {
  name: string;
  arguments: unknown;
  signal: AbortSignal;
  /** Sends a progress notification, when the client sent a progress token. */
  progress?: (update: ProgressUpdate) => Promise<void>;
}

export type { Answer } from './failures';

/**
 * The one path every MCP request walks: audit begun -> gates (control,
 * policy, permission, limits) -> input validated through the operation's
 * source -> gates on the input -> the operation, with every downstream
 * service bound to the caller -> shaping -> audit ended with the outcome.
 * Listings pass the same gates, so they show exactly what calls allow.
 */
export class Corridor {
  private readonly sources: ToolSources;
  private readonly gates: GateList;
  private readonly records: AuditBracket;

  constructor(private readonly options: CorridorOptions) {
    this.records = new AuditBracket(
      options.audit,
      options.auditFailurePolicy,
      options.logger,
    );
    this.sources = new ToolSources(options.sources, options.logger);
    this.gates = new GateList(options.gates);
  }

  /**
   * The identity stage, for every MCP request whatever its method: the
   * caller, or an audited AuthenticationError / NotAllowedError.
   */
  async admit(req: Request): Promise<Exchange> {
    const requestId = randomUUID();
    const started = Date.now();
    try {
      const caller = await this.options.resolver.resolve(req);
      return { caller, requestId, request: req };
    } catch (error) {
      const unauthenticated = error instanceof AuthenticationError;
      if (unauthenticated || error instanceof NotAllowedError) {
        // No request for the auditor: it cannot name an unknown caller.
        await this.records.whole(
          requestId,
          { requestId, method: auditedMethodOf(req) },
          {
            outcome: unauthenticated ? 'unauthenticated' : 'refused',
            stage: 'identity',
            code: unauthenticated ? 'unauthenticated' : 'unknown-caller',
            reason: error.message,
            durationMs: Date.now() - started,
          },
        );
      }
      throw error;
    }
  }

  /**
   * The protocol stage turned a request away (Origin, body, batch): it is
   * audited like any other refusal, attributed when the caller is known.
   */
  async refuse(refusal: ProtocolRefusal): Promise<void> {
    const { exchange } = refusal;
    const requestId = exchange?.requestId ?? randomUUID();
    await this.records.whole(
      requestId,
      {
        requestId,
        ...(exchange && startOf(exchange)),
        method: refusal.method,
        request: exchange?.request,
      },
      {
        outcome: refusal.outcome,
        stage: refusal.stage,
        code: refusal.code,
        reason: refusal.reason,
        durationMs: 0,
      },
    );
  }

  /** tools/list: exactly the tools this caller's calls would pass the gates with. */
  async listTools(exchange: Exchange): Promise<Answer<ListedTool[]>> {
    const started = Date.now();
    const entry = await this.records.begin({
      ...startOf(exchange),
      method: 'tools/list',
    });
    if (!entry.ok) return entry;
    let answer: Answer<ListedTool[]>;
    try {
      const tools = await this.permittedTools(exchange.caller);
      answer = { ok: true, value: tools.map(tool => tool.listing) };
    } catch (error) {
      answer = {
        ok: false,
        failure: this.explain(
          error,
          { name: 'tools/list' },
          exchange.requestId,
        ),
      };
    }
    return this.records.end(entry.value, answer, started, exchange.requestId);
  }

  /**
   * Any other MCP request (initialize, ping, server/discover, methods the
   * gateway does not serve): audited around what the protocol layer runs,
   * so that every request has its record before it is answered.
   */
  async serveMethod<T>(
    exchange: Exchange,
    method: string,
    run: () => Promise<T>,
  ): Promise<Answer<T>> {
    const started = Date.now();
    const entry = await this.records.begin({ ...startOf(exchange), method });
    if (!entry.ok) return entry;
    let answer: Answer<T>;
    try {
      answer = { ok: true, value: await run() };
    } catch (error) {
      answer = {
        ok: false,
        failure: this.explain(error, { name: method }, exchange.requestId),
      };
    }
    return this.records.end(entry.value, answer, started, exchange.requestId);
  }

  async callTool(
    exchange: Exchange,
    call: ToolCall,
  ): Promise<Answer<ShapedResult>> {
    const { caller, requestId } = exchange;
    const started = Date.now();
    const tool = await this.sources.find(caller, call.name);
    const entry = await this.records.begin(
      {
        ...startOf(exchange),
        method: 'tools/call',
        operation: tool?.operation ?? { kind: 'tool', name: call.name },
        arguments: maskArguments(call.arguments, caller.agent.redact),
      },
      tool?.operation,
    );
    if (!entry.ok) return entry;

    const redaction = this.options.dataPolicies
      .of(caller.agent)
      .redaction.session();
    let answer: Answer<ShapedResult>;
    // The kill switch cuts the call here: no further downstream call starts.
    const inFlight = this.options.inFlight.track(caller.agent.id, call.signal);
    try {
      if (!tool) throw new UnknownOperation(`Unknown tool: ${call.name}`);
      await this.gates.pass(caller, tool.operation);
      const input = tool.parseInput(call.arguments);
      await this.gates.passInput({
        requestId,
        caller,
        operation: tool.operation,
        input,
        targets: tool.targetsOf(input),
      });
      // What the caller sent (cursors decoded) is never scrubbed from echoes.
      redaction.exemptInput(input);
      // Raced: a cut call answers at once, whatever the operation awaits.
      const output = await raced(
        tool.run(
          {
            ...this.options.services.bind(caller, redaction, inFlight.signal),
            caller,
            availableTools: async () =>
              (await this.permittedTools(caller)).map(t => ({
                name: t.operation.name,
                title: t.listing.title,
                access: t.operation.access,
              })),
            signal: inFlight.signal,
            progress: async update => {
              if (!call.progress || inFlight.signal.aborted) return;
              try {
                await call.progress({
                  ...update,
                  ...(update.message !== undefined && {
                    message: redaction.scrub(update.message),
                  }),
                });
              } catch {
                // A client that went away misses its progress; the
                // operation goes on.
              }
            },
          },
          input,
        ),
        inFlight.signal,
      );
      inFlight.signal.throwIfAborted();
      answer = { ok: true, value: shapeResult(tool, output, redaction) };
    } catch (error) {
      const failure = this.explain(
        inFlight.signal.aborted ? inFlight.signal.reason : error,
        { kind: 'tool', name: call.name },
        requestId,
      );
      answer = {
        ok: false,
        failure: { ...failure, message: redaction.scrub(failure.message) },
      };
    } finally {
      inFlight.done();
    }
    return this.records.end(
      entry.value,
      answer,
      started,
      requestId,
      tool?.operation,
    );
  }

  /** The permission framework loads an operation by its resource ref. */
  resourceOf(ref: string): Promise<OperationResource | undefined> {
    return this.sources.resourceOf(ref);
  }

  /** Every tool the caller's sources offer that passes every listing gate. */
  private async permittedTools(caller: Caller): Promise<SourcedTool[]> {
    return this.gates.permitted(caller, await this.sources.offeredTo(caller));
  }

  /** The failure the caller reads; what nobody foresaw is logged, with its reference. */
  private explain(
    error: unknown,
    subject: FailedSubject,
    requestId: string,
  ): Failure {
    const failure = explainFailure(error, subject, requestId);
    if (failure.unexpected) {
      this.options.logger.error(
        `${subject.name} failed (request ${requestId})`,
        asError(error),
      );
    }
    return failure;
  }
}

/** Who made a request, as the audit names them. */
function attributionOf(caller: Caller) {
  return {
    agentId: caller.agent.id,
    principal: caller.principal,
    user: caller.user,
    actor: caller.actor,
  };
}

function startOf({
  caller,
  requestId,
  request,
  client,
  protocolVersion,
}: Exchange) {
  return {
    requestId,
    ...attributionOf(caller),
    request,
    client,
    protocolVersion,
  };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
