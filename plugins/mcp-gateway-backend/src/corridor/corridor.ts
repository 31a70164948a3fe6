import { JsonValue } from '@backstage/types';
import { LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Request } from 'express';
import { randomUUID } from 'node:crypto';
import { AuditSink } from '../audit/auditRecord';
import { CallerCatalog } from '../catalog/callerCatalog';
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
  catalog: CatalogService;
  audit: AuditSink;
  logger: LoggerService;
}

export interface CallToolRequest {
  requestId: string;
  caller: Caller;
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
        await this.options.audit.record({
          requestId: randomUUID(),
          method: methodOf(req),
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
   * tools/list: exactly the tools this caller may call, by the agent's
   * policy and then by Backstage's permission framework.
   */
  async listTools(caller: Caller): Promise<GatewayTool[]> {
    return this.options.permissions.permitted(
      caller,
      this.options.tools.allowedFor(caller.agent),
    );
  }

  async callTool(request: CallToolRequest): Promise<ShapedResult> {
    const { requestId, caller, toolName, signal } = request;
    const { gates, audit, logger, catalog, tools, scopes } = this.options;
    const started = Date.now();
    const tool = tools.get(toolName);
    const record = {
      requestId,
      agentId: caller.agent.id,
      principal: caller.principal,
      user: caller.user,
      actor: caller.actor,
      method: 'tools/call',
      tool: toolName,
      access: tool?.access,
      arguments: request.arguments as JsonValue | undefined,
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
      const parsed = tool.input.safeParse(request.arguments ?? {});
      if (!parsed.success) {
        throw new InvalidArguments(parsed.error.issues);
      }
      const output = await tool.run(
        {
          caller,
          catalog: new CallerCatalog(
            catalog,
            caller.credentials,
            scope,
            redaction,
          ),
          availableTools: () => this.listTools(caller),
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

/** The JSON-RPC method, or the HTTP one for requests without a body. */
function methodOf(req: Request): string {
  const method = (req.body as { method?: unknown } | undefined)?.method;
  return typeof method === 'string'
    ? method.slice(0, 100)
    : `HTTP ${req.method}`;
}
