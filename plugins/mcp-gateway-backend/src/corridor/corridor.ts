import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { JsonValue } from '@backstage/types';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { auditedMethodOf } from '../audit/auditedMethod';
import {
  AuditEntry,
  AuditSink,
  AuditStart,
  auditWhole,
} from '../audit/auditRecord';
import { Caller } from '../core/caller';
import { UnknownOperation } from '../core/errors';
import { Gate } from '../core/gate';
import { changesState, Operation } from '../core/operation';
import { CallerServicesFactory } from '../downstream/callerServices';
import { CallerResolver } from '../identity/resolveCaller';
import { AgentDataPolicies } from '../policy/agentDataPolicy';
import { OperationResource } from '../policy/operationResource';
import { ListedTool, SourcedTool, ToolSource } from '../tools/source';
import { GateList } from './gateList';
import { ToolSources } from './toolSources';
import { explainFailure, FailedSubject, Failure } from './failures';
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
  logger: LoggerService;
}

/** One authenticated HTTP request: who, and the request it came in. */
export interface Exchange {
  caller: Caller;
  /** One id for everything this HTTP request asks. */
  requestId: string;
  /** For the auditor only: it names the caller as the actor from it. */
  request?: Request;
}

/** A request the protocol stage turned away before any operation ran. */
export interface ProtocolRefusal {
  /** The caller, when identity was already established. */
  exchange?: Exchange;
  method: string;
  reason: string;
  outcome: 'refused' | 'invalid';
}

export interface ToolCall {
  name: string;
  arguments: unknown;
  signal: AbortSignal;
}

/** What the corridor answers: the value, or why there is none. */
export type Answer<T> =
  { ok: true; value: T } | { ok: false; failure: Failure };

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

  constructor(private readonly options: CorridorOptions) {
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
        await auditWhole(
          this.options.audit,
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
    await auditWhole(
      this.options.audit,
      {
        requestId: exchange?.requestId ?? randomUUID(),
        ...(exchange && attributionOf(exchange.caller)),
        method: refusal.method,
        request: exchange?.request,
      },
      {
        outcome: refusal.outcome,
        stage: 'protocol',
        code: refusal.outcome === 'invalid' ? 'invalid-request' : 'refused',
        reason: refusal.reason,
        durationMs: 0,
      },
    );
  }

  /** tools/list: exactly the tools this caller's calls would pass the gates with. */
  async listTools(exchange: Exchange): Promise<Answer<ListedTool[]>> {
    const started = Date.now();
    const entry = await this.begin({
      ...startOf(exchange),
      method: 'tools/list',
    });
    if (!entry.ok) return entry;
    try {
      const tools = await this.permittedTools(exchange.caller);
      await entry.value.end({
        outcome: 'succeeded',
        listed: tools.length,
        durationMs: Date.now() - started,
      });
      return { ok: true, value: tools.map(tool => tool.listing) };
    } catch (error) {
      return this.fail(error, 'tools/list', exchange, entry.value, started);
    }
  }

  async callTool(
    exchange: Exchange,
    call: ToolCall,
  ): Promise<Answer<ShapedResult>> {
    const { caller, requestId } = exchange;
    const started = Date.now();
    const tool = await this.sources.find(caller, call.name);
    const entry = await this.begin({
      ...startOf(exchange),
      method: 'tools/call',
      operation: tool?.operation ?? { kind: 'tool', name: call.name },
      arguments: call.arguments as JsonValue | undefined,
    });
    if (!entry.ok) return entry;

    const redaction = this.options.dataPolicies
      .of(caller.agent)
      .redaction.session();
    let answer: Answer<ShapedResult>;
    try {
      if (!tool) throw new UnknownOperation(`Unknown tool: ${call.name}`);
      await this.gates.pass(caller, tool.operation);
      const input = tool.parseInput(call.arguments);
      await this.gates.passInput({
        requestId,
        caller,
        operation: tool.operation,
        input,
      });
      // What the caller sent (cursors decoded) is never scrubbed from echoes.
      redaction.exemptInput(input);
      const output = await tool.run(
        {
          ...this.options.services.bind(caller, redaction),
          caller,
          availableTools: async () =>
            (await this.permittedTools(caller)).map(t => ({
              name: t.operation.name,
              title: t.listing.title,
              access: t.operation.access,
            })),
          signal: call.signal,
        },
        input,
      );
      answer = { ok: true, value: shapeResult(tool, output, redaction) };
    } catch (error) {
      const failure = this.explain(
        error,
        { kind: 'tool', name: call.name },
        requestId,
      );
      answer = {
        ok: false,
        failure: { ...failure, message: redaction.scrub(failure.message) },
      };
    }
    return this.end(entry.value, answer, started, requestId, tool?.operation);
  }

  /** The permission framework loads an operation by its resource ref. */
  resourceOf(ref: string): Promise<OperationResource | undefined> {
    return this.sources.resourceOf(ref);
  }

  /** Every tool the caller's sources offer that passes every listing gate. */
  private async permittedTools(caller: Caller): Promise<SourcedTool[]> {
    return this.gates.permitted(caller, await this.sources.offeredTo(caller));
  }

  /** Begins the audit record; if it cannot be written, nothing runs. */
  private async begin(start: AuditStart): Promise<Answer<AuditEntry>> {
    try {
      return { ok: true, value: await this.options.audit.begin(start) };
    } catch (error) {
      this.options.logger.error(
        `Could not begin the audit record of request ${start.requestId}; the request was refused`,
        asError(error),
      );
      return this.unaudited(start.requestId, 'so it was not run');
    }
  }

  /** Ends the audit record; if it cannot be written, the answer is withheld. */
  private async end<T>(
    entry: AuditEntry,
    answer: Answer<T>,
    started: number,
    requestId: string,
    operation?: Operation,
  ): Promise<Answer<T>> {
    const durationMs = Date.now() - started;
    try {
      await entry.end(
        answer.ok
          ? { outcome: 'succeeded', durationMs }
          : {
              outcome: answer.failure.outcome,
              stage: answer.failure.stage,
              code: answer.failure.code,
              reason: answer.failure.message,
              durationMs,
            },
      );
      return answer;
    } catch (error) {
      this.options.logger.error(
        `Could not end the audit record of request ${requestId}; its answer was withheld`,
        asError(error),
      );
      return this.unaudited(
        requestId,
        operation && changesState(operation.access)
          ? 'so its answer is withheld; the operation itself did run'
          : 'so its answer is withheld',
      );
    }
  }

  private async fail<T>(
    error: unknown,
    name: string,
    exchange: Exchange,
    entry: AuditEntry,
    started: number,
  ): Promise<Answer<T>> {
    const failure = this.explain(error, { name }, exchange.requestId);
    return this.end(entry, { ok: false, failure }, started, exchange.requestId);
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

  private unaudited<T>(requestId: string, consequence: string): Answer<T> {
    return {
      ok: false,
      failure: {
        outcome: 'failed',
        stage: 'audit',
        code: 'audit-unavailable',
        message: `The gateway could not write this request's audit record, ${consequence} (reference ${requestId}).`,
      },
    };
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

function startOf({ caller, requestId, request }: Exchange) {
  return { requestId, ...attributionOf(caller), request };
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
