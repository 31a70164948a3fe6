import { LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError, NotAllowedError } from '@backstage/errors';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { auditedMethodOf } from '../audit/auditedMethod';
import { maskArguments } from '../audit/maskedArguments';
import { AuditSink } from '../audit/auditRecord';
import { Caller } from '../core/caller';
import { UnknownOperation } from '../core/errors';
import { parseArguments } from '../core/parseArguments';
import { Gate } from '../core/gate';
import { GATEWAY_SOURCE, Operation } from '../core/operation';
import { GatewayRefusal } from '../core/refusal';
import { InFlightCalls } from '../control/inFlightCalls';
import { raced } from '../downstream/abortable';
import { CallerServicesFactory } from '../downstream/callerServices';
import { CallerResolver } from '../identity/resolveCaller';
import { AgentDataPolicies } from '../policy/agentDataPolicy';
import {
  OperationResource,
  parseOperationResourceRef,
} from '../policy/operationResource';
import { ListedTool, SourcedTool, ToolSource } from '../tools/source';
import { ProgressUpdate, ToolContext } from '../tools/types';
import {
  GatewayResource,
  ResourceContents,
  ResourcePage,
  ResourceTemplate,
} from '../resources/types';
import { GatewayPrompt, PromptMessage } from '../prompts/types';
import { RedactionSession } from '../policy/redaction';
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
  /** The kinds of MCP resource served (entity, techdocs). */
  resources: GatewayResource[];
  /** The MCP prompts served. */
  prompts: GatewayPrompt[];
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
  /**
   * Whether the corridor has begun an audit record for this HTTP request,
   * shared by every copy of the exchange: what the protocol layer answers
   * without one (the MCP SDK's own refusals) it records itself.
   */
  readonly trail?: { recorded: boolean };
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
  private readonly resources: GatewayResource[];
  private readonly prompts: GatewayPrompt[];

  constructor(private readonly options: CorridorOptions) {
    this.resources = options.resources;
    this.prompts = options.prompts;
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
      return { caller, requestId, request: req, trail: { recorded: false } };
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
        ...(exchange && recordStartOf(exchange)),
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
    return this.listing(exchange, 'tools/list', async caller =>
      (await this.permittedTools(caller)).map(tool => tool.listing),
    );
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
    const entry = await this.records.begin({
      ...recordStartOf(exchange),
      method,
    });
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
    const tool = await this.sources.find(exchange.caller, call.name);
    return this.operate(
      exchange,
      {
        method: 'tools/call',
        subject: { kind: 'tool', name: call.name },
        operation: tool?.operation,
        arguments: call.arguments,
        signal: call.signal,
        progress: call.progress,
      },
      async ({ context, redaction, signal }) => {
        if (!tool) throw new UnknownOperation(`Unknown tool: ${call.name}`);
        const input = tool.parseInput(call.arguments);
        await this.gates.passInput({
          requestId: exchange.requestId,
          caller: exchange.caller,
          operation: tool.operation,
          input,
          targets: tool.targetsOf(input),
        });
        // What the caller sent (cursors decoded) is never scrubbed from echoes.
        redaction.exemptInput(input);
        const output = await raced(tool.run(context(), input), signal);
        signal.throwIfAborted();
        return shapeResult(tool, output, redaction);
      },
    );
  }

  /** resources/templates/list: the kinds of resource this caller may read. */
  async listResourceTemplates(
    exchange: Exchange,
  ): Promise<Answer<ResourceTemplate[]>> {
    return this.listing(exchange, 'resources/templates/list', async caller =>
      (await this.permittedResources(caller)).map(r => r.template),
    );
  }

  /**
   * resources/list: one page of the resources this caller may read. Like
   * tools/list, it shows nothing the caller may not read (an agent without
   * `entity` gets an empty list); otherwise reading the catalog makes it an
   * operation, which passes every gate, rate limit included.
   */
  async listResources(
    exchange: Exchange,
    request: { cursor?: string; signal: AbortSignal },
  ): Promise<Answer<ResourcePage>> {
    const listable = (await this.permittedResources(exchange.caller)).find(
      resource => resource.list,
    );
    if (!listable) {
      const answer = await this.listing(
        exchange,
        'resources/list',
        async () => [],
      );
      return answer.ok ? { ok: true, value: { resources: [] } } : { ...answer };
    }
    return this.operate(
      exchange,
      {
        method: 'resources/list',
        subject: { kind: 'resource', name: listable.name },
        operation: resourceOperation(listable),
        arguments:
          request.cursor === undefined ? {} : { cursor: request.cursor },
        signal: request.signal,
      },
      async ({ context, redaction, signal }) => {
        const page = await raced(
          listable.list!(context(), request.cursor),
          signal,
        );
        signal.throwIfAborted();
        return redaction.scrub(page);
      },
    );
  }

  /** resources/read: one resource, by its URI. */
  async readResource(
    exchange: Exchange,
    request: { uri: string; signal: AbortSignal },
  ): Promise<Answer<ResourceContents[]>> {
    const { uri } = request;
    // Found before the record begins, so the record names the resource kind.
    const found = this.resourceFor(uri);
    return this.operate(
      exchange,
      {
        method: 'resources/read',
        subject: {
          kind: 'resource',
          name: found?.resource.name ?? uri.slice(0, 200),
        },
        operation: found && resourceOperation(found.resource),
        arguments: { uri },
        signal: request.signal,
      },
      async ({ context, redaction, signal }) => {
        if (!found) {
          throw new UnknownOperation(
            `Unknown resource: ${uri.slice(0, 200)}. Resources: ${this.resources
              .map(r => r.template.uriTemplate)
              .join(', ')}`,
          );
        }
        const params = found.params();
        redaction.exemptInput(params);
        const contents = await raced(
          found.resource.read(context(), uri, params),
          signal,
        );
        signal.throwIfAborted();
        return redaction.scrub(contents);
      },
    );
  }

  /**
   * prompts/list: the prompts whose every tool and resource this caller
   * may use now, and that its agent's policy lets it get.
   */
  async listPrompts(exchange: Exchange): Promise<Answer<GatewayPrompt[]>> {
    return this.listing(exchange, 'prompts/list', caller =>
      this.permittedPrompts(caller),
    );
  }

  /** prompts/get: a prompt rendered with its arguments. */
  async getPrompt(
    exchange: Exchange,
    request: { name: string; arguments: unknown; signal: AbortSignal },
  ): Promise<Answer<PromptMessage[]>> {
    const prompt = this.prompts.find(p => p.name === request.name);
    return this.operate(
      exchange,
      {
        method: 'prompts/get',
        subject: { kind: 'prompt', name: request.name },
        operation: prompt && promptOperation(prompt),
        arguments: request.arguments,
        signal: request.signal,
      },
      async ({ redaction }) => {
        if (!prompt)
          throw new UnknownOperation(`Unknown prompt: ${request.name}`);
        const missing = await this.missingForPrompt(exchange.caller, prompt);
        if (missing.length) {
          throw new GatewayRefusal(
            'policy',
            'prompt-not-allowed',
            `Agent '${exchange.caller.agent.id}' may not get prompt '${prompt.name}': it relies on ${missing.join(', ')}, which this agent may not use.`,
          );
        }
        const input = parseArguments(prompt.arguments, request.arguments);
        redaction.exemptInput(input);
        return redaction.scrub(prompt.render(input));
      },
    );
  }

  /** The permission framework loads an operation by its resource ref. */
  async resourceOf(ref: string): Promise<OperationResource | undefined> {
    const parsed = parseOperationResourceRef(ref);
    if (parsed?.kind === 'tool') return this.sources.resourceOf(ref);
    const operation =
      parsed?.kind === 'resource'
        ? this.resources
            .filter(resource => resource.name === parsed.name)
            .map(resourceOperation)[0]
        : this.prompts
            .filter(prompt => prompt.name === parsed?.name)
            .map(promptOperation)[0];
    return parsed && operation
      ? { agentId: parsed.agentId, ...operation }
      : undefined;
  }

  /**
   * The corridor itself, for every operation: audit begun -> gates ->
   * the body (input, input gates, the operation with services bound to
   * the caller, shaping) -> audit ended with the outcome. A call cut by
   * the kill switch answers at once with the reason.
   */
  private async operate<T>(
    exchange: Exchange,
    request: {
      method: string;
      subject: FailedSubject;
      operation: Operation | undefined;
      arguments: unknown;
      signal: AbortSignal;
      progress?: (update: ProgressUpdate) => Promise<void>;
    },
    body: (running: Running) => Promise<T>,
  ): Promise<Answer<T>> {
    const { caller, requestId } = exchange;
    const { operation, subject } = request;
    const started = Date.now();
    const entry = await this.records.begin(
      {
        ...recordStartOf(exchange),
        method: request.method,
        operation: operation ?? { kind: subject.kind!, name: subject.name },
        arguments: maskArguments(request.arguments, caller.agent.redact),
      },
      operation,
    );
    if (!entry.ok) return entry;

    const redaction = this.options.dataPolicies
      .of(caller.agent)
      .redaction.session();
    let answer: Answer<T>;
    // The kill switch cuts the call here: no further downstream call starts.
    const inFlight = this.options.inFlight.track(
      caller.agent.id,
      request.signal,
    );
    try {
      if (operation) await this.gates.pass(caller, operation);
      const value = await body({
        redaction,
        signal: inFlight.signal,
        context: () =>
          this.contextFor(caller, redaction, inFlight.signal, request.progress),
      });
      inFlight.signal.throwIfAborted();
      answer = { ok: true, value };
    } catch (error) {
      const failure = this.explain(
        inFlight.signal.aborted ? inFlight.signal.reason : error,
        subject,
        requestId,
      );
      answer = {
        ok: false,
        failure: { ...failure, message: redaction.scrub(failure.message) },
      };
    } finally {
      inFlight.done();
    }
    return this.records.end(entry.value, answer, started, requestId, operation);
  }

  /** What an operation may use: every downstream service bound to the caller. */
  private contextFor(
    caller: Caller,
    redaction: RedactionSession,
    signal: AbortSignal,
    progress?: (update: ProgressUpdate) => Promise<void>,
  ): ToolContext {
    return {
      ...this.options.services.bind(caller, redaction, signal),
      caller,
      availableTools: async () =>
        (await this.permittedTools(caller)).map(t => ({
          name: t.operation.name,
          title: t.listing.title,
          access: t.operation.access,
        })),
      signal,
      progress: async update => {
        if (!progress || signal.aborted) return;
        try {
          await progress({
            ...update,
            ...(update.message !== undefined && {
              message: redaction.scrub(update.message),
            }),
          });
        } catch {
          // A client that went away misses its progress; the operation
          // goes on.
        }
      },
    };
  }

  /** A listing: audited, and failing as a whole. */
  private async listing<T>(
    exchange: Exchange,
    method: string,
    list: (caller: Caller) => Promise<T[]>,
  ): Promise<Answer<T[]>> {
    const started = Date.now();
    const entry = await this.records.begin({
      ...recordStartOf(exchange),
      method,
    });
    if (!entry.ok) return entry;
    let answer: Answer<T[]>;
    try {
      answer = { ok: true, value: await list(exchange.caller) };
    } catch (error) {
      answer = {
        ok: false,
        failure: this.explain(error, { name: method }, exchange.requestId),
      };
    }
    return this.records.end(entry.value, answer, started, exchange.requestId);
  }

  /**
   * The resource kind a URI names, and its parameters, read once the
   * gates passed (a malformed URI of a known kind is invalid input then).
   */
  private resourceFor(uri: string) {
    for (const resource of this.resources) {
      let params: Record<string, string> | undefined;
      try {
        params = resource.parse(uri);
      } catch (error) {
        return {
          resource,
          params: (): Record<string, string> => {
            throw error;
          },
        };
      }
      if (params) return { resource, params: () => params! };
    }
    return undefined;
  }

  /** The resource kinds the caller may read, as every listing gate decides. */
  private async permittedResources(caller: Caller): Promise<GatewayResource[]> {
    const permitted = await this.gates.permitted(
      caller,
      this.resources.map(resource => ({
        operation: resourceOperation(resource),
        resource,
      })),
    );
    return permitted.map(({ resource }) => resource);
  }

  private async permittedPrompts(caller: Caller): Promise<GatewayPrompt[]> {
    const listed = await this.gates.permitted(
      caller,
      this.prompts.map(prompt => ({
        operation: promptOperation(prompt),
        prompt,
      })),
    );
    const usable = await this.usableBy(caller);
    return listed
      .map(({ prompt }) => prompt)
      .filter(prompt => missingOf(prompt, usable).length === 0);
  }

  private async missingForPrompt(caller: Caller, prompt: GatewayPrompt) {
    return missingOf(prompt, await this.usableBy(caller));
  }

  /** The tools and resources this caller may use now, as listings show them. */
  private async usableBy(caller: Caller) {
    const [tools, resources] = await Promise.all([
      this.permittedTools(caller),
      this.permittedResources(caller),
    ]);
    return {
      tools: new Set(tools.map(t => t.operation.name)),
      resources: new Set(resources.map(r => r.name)),
    };
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

/** The start of an audit record for this exchange, which now has one. */
function recordStartOf({
  caller,
  requestId,
  request,
  client,
  protocolVersion,
  trail,
}: Exchange) {
  if (trail) trail.recorded = true;
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

/** What an operation's body may use, once the gates let it through. */
interface Running {
  redaction: RedactionSession;
  /** Aborted when the client goes away or the kill switch cuts the call. */
  signal: AbortSignal;
  /** The operation's context: services bound to the caller, progress. */
  context(): ToolContext;
}

/** A resource kind or a prompt, as the gates see it: the gateway's own, a read. */
function gatewayOperation(
  kind: 'resource' | 'prompt',
  name: string,
): Operation {
  return { kind, name, access: 'read', source: GATEWAY_SOURCE };
}

function resourceOperation(resource: GatewayResource) {
  return gatewayOperation('resource', resource.name);
}

function promptOperation(prompt: GatewayPrompt) {
  return gatewayOperation('prompt', prompt.name);
}

/** The tools and resources a prompt names that the caller may not use. */
function missingOf(
  prompt: GatewayPrompt,
  usable: { tools: Set<string>; resources: Set<string> },
): string[] {
  return [
    ...prompt.uses.tools
      .filter(tool => !usable.tools.has(tool))
      .map(tool => `tool '${tool}'`),
    ...prompt.uses.resources
      .filter(resource => !usable.resources.has(resource))
      .map(resource => `resource '${resource}'`),
  ];
}
