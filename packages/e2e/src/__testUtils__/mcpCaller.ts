import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * How a tool call ended, as the client saw it: `ok` (a result),
 * `refused` (a result with isError: a refusal or a tool's failure) or
 * `error` (no result: a JSON-RPC error, an HTTP failure, a timeout).
 */
export interface CallOutcome {
  kind: 'ok' | 'refused' | 'error';
  /** The result's text, or the error's message. */
  text: string;
  structured?: Record<string, unknown>;
  /** The result's `_meta`. */
  meta?: Record<string, unknown>;
  /** When the call was sent and when it ended, ms since the epoch. */
  sentAt: number;
  endedAt: number;
}

/** One MCP SDK client (Streamable HTTP) holding one bearer token. */
export class McpCaller {
  private constructor(private readonly client: Client) {}

  static async connect(url: string, token: string): Promise<McpCaller> {
    const client = new Client({ name: 'e2e-replicas', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(url), {
        requestInit: { headers: { Authorization: `Bearer ${token}` } },
      }),
    );
    return new McpCaller(client);
  }

  /** Never throws: every way a call can end is an outcome. */
  async call(
    name: string,
    args: Record<string, unknown> = {},
    timeoutMs = 20_000,
  ): Promise<CallOutcome> {
    const sentAt = Date.now();
    try {
      const result: any = await this.client.callTool(
        { name, arguments: args },
        undefined,
        { timeout: timeoutMs },
      );
      const text = (result.content ?? [])
        .filter((c: any) => c.type === 'text')
        .map((c: any) => c.text)
        .join('\n');
      return {
        kind: result.isError ? 'refused' : 'ok',
        text,
        structured: result.structuredContent,
        meta: result._meta,
        sentAt,
        endedAt: Date.now(),
      };
    } catch (error) {
      return {
        kind: 'error',
        text: error instanceof Error ? error.message : String(error),
        sentAt,
        endedAt: Date.now(),
      };
    }
  }

  async listToolNames(): Promise<string[]> {
    const { tools } = await this.client.listTools();
    return tools.map(tool => tool.name);
  }

  close(): Promise<void> {
    return this.client.close();
  }
}
