import { JsonValue } from '@backstage/types';
import { LoggerService } from '@backstage/backend-plugin-api';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { auditedMethodOf } from '../audit/auditedMethod';
import { AuditSink } from '../audit/auditRecord';
import { CallerCatalog, CallerCatalogOptions } from '../catalog/callerCatalog';
import { Caller } from '../identity/caller';
import { CallerResolver } from '../identity/resolveCaller';
import { ToolRegistry } from '../tools/registry';
import { GatewayTool } from '../tools/types';
import { AgentScopes } from '../policy/agentScope';
import { PermissionGate } from '../policy/permissionGate';
import { Gate } from './gate';
import { ShapedResult, shapeResult } from './shaping';
import { explainToolError, InvalidArguments } from './toolErrors';

export interface CorridorOptions {
  resolver: CallerResolver;
  tools: ToolRegistry;
  /** Run in order before the tool: control, policy, permission, limits. */
  gates: Gate[];
  /** Filters tools/list the way the permission gate filters calls. */
  permissions: PermissionGate;
  /** Each agent's entity visibility and redaction. */
  scopes: AgentScopes;
  catalog: CallerCatalogOptions;
  audit: AuditSink;
  logger: LoggerService;
}

/** One authenticated MCP request: who, and the HTTP request it came in. */
export interface Exchange {
  caller: Caller;
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

export interface CallToolRequest extends Exchange {
  requestId: string;
  toolName: string;
  arguments: unknown;
  signal: AbortSignal;
}

/** The named tool does not exist (a protocol error, not a tool result). */
export class UnknownToolError extends Error {
  readonly name = 'UnknownToolError';
}

/**
 * The one path every tool call walks: gates (control -> policy -> limits),
 * input validation, the tool on behalf of the caller, shaping, and one audit
 * record whatever happened. No tool has a door of its own.
 */
export class Corridor {
  constructor(private readonly options: CorridorOptions) {}

  /**
   * The identity stage, for every MCP request whatever its method: the
   * caller, or an audited AuthenticationError / NotAllowedError.
   */
  async admit(req: Request): Promise<Caller> {
    const started = Date.now();
    try {
      return await this.options.resolver.resolve(req);
    } catch (error) {
      const { name, message } = error as Error;
      if (name === 'AuthenticationError' || name === 'NotAllowedError') {
        // No request for the auditor: it cannot name an unknown caller.
        await this.options.audit.record({
          requestId: randomUUID(),
          method: auditedMethodOf(req),
          outcome:
            name === 'AuthenticationError' ? 'unauthenticated' : 'refused',
          stage: 'identity',
          reason: message,
          durationMs: Date.now() - started,
        });
      }
      throw error;
    }
  }

  /**
   * The protocol stage turned a request away (Origin, body, batch): it is
   * audited like any other refusal, attributed when the caller is known.
   */
  async refuse(refusal: ProtocolRefusal): Promise<void> {
    const caller = refusal.exchange?.caller;
    await this.options.audit.record({
      requestId: randomUUID(),
      ...(caller && attributionOf(caller)),
      method: refusal.method,
      outcome: refusal.outcome,
      stage: 'protocol',
      reason: refusal.reason,
      durationMs: 0,
      request: refusal.exchange?.request,
    });
  }

  /**
   * tools/list: exactly the tools this caller may call, by the agent's
   * policy and then by Backstage's permission framework. Audited.
   */
  async listTools({ caller, request }: Exchange): Promise<GatewayTool[]> {
    const started = Date.now();
    const tools = await this.permittedTools(caller);
    await this.options.audit.record({
      requestId: randomUUID(),
      ...attributionOf(caller),
      method: 'tools/list',
      outcome: 'succeeded',
      listed: tools.length,
      durationMs: Date.now() - started,
      request,
    });
    return tools;
  }

  private permittedTools(caller: Caller): Promise<GatewayTool[]> {
    return this.options.permissions.permitted(
      caller,
      this.options.tools.allowedFor(caller.agent),
    );
  }

  async callTool(call: CallToolRequest): Promise<ShapedResult> {
    const { requestId, caller, toolName, signal, request } = call;
    const { gates, audit, logger, catalog, tools, scopes } = this.options;
    const started = Date.now();
    const tool = tools.get(toolName);
    const record = {
      requestId,
      ...attributionOf(caller),
      method: 'tools/call',
      tool: toolName,
      access: tool?.access,
      arguments: call.arguments as JsonValue | undefined,
      request,
    };

    if (!tool) {
      const reason = `Unknown tool: ${toolName}`;
      await audit.record({
        ...record,
        outcome: 'invalid',
        stage: 'protocol',
        reason,
        durationMs: Date.now() - started,
      });
      throw new UnknownToolError(reason);
    }

    const scope = scopes.of(caller.agent);
    const redaction = scope.redaction.session();
    try {
      for (const gate of gates) {
        await gate.check({ requestId, caller, tool });
      }
      const parsed = tool.input.safeParse(call.arguments ?? {});
      if (!parsed.success) {
        throw new InvalidArguments(parsed.error.issues);
      }
      // What the caller sent (cursors decoded) is never scrubbed from echoes.
      redaction.exemptInput(parsed.data);
      const output = await tool.run(
        {
          caller,
          catalog: new CallerCatalog(catalog, caller, scope, redaction),
          availableTools: () => this.permittedTools(caller),
          signal,
        },
        parsed.data,
      );
      const result = shapeResult(tool, output, redaction);
      await audit.record({
        ...record,
        outcome: 'succeeded',
        durationMs: Date.now() - started,
      });
      return result;
    } catch (error) {
      const explained = explainToolError(error, tool.name, requestId, logger);
      const message = redaction.scrub(explained.message);
      await audit.record({
        ...record,
        outcome: explained.outcome,
        stage: explained.stage,
        reason: message,
        durationMs: Date.now() - started,
      });
      return {
        content: [{ type: 'text', text: message }],
        isError: true,
      };
    }
  }
}

/** Who made a call, as the audit names them. */
function attributionOf(caller: Caller) {
  return {
    agentId: caller.agent.id,
    principal: caller.principal,
    user: caller.user,
    actor: caller.actor,
  };
}
