import { DiscoveryApi, FetchApi } from '@backstage/frontend-plugin-api';
import {
  ActivityWindow,
  AUDIT_FILTER_KEYS,
  AgentDetail,
  AgentsOverview,
  AgentStateChange,
  AuditFilterQuery,
  AuditPage,
  KillSwitchView,
} from '@mcp-gateway/plugin-mcp-gateway-common';
import { AdminApiError } from './AdminApiError';
import {
  AdminRequestOptions,
  AuditPageQuery,
  McpGatewayAdminApi,
} from './McpGatewayAdminApi';

const NDJSON = 'application/x-ndjson';

type Query = Record<string, string | number | undefined>;

interface RequestInit {
  method?: 'GET' | 'POST';
  query?: Query;
  body?: unknown;
  accept?: string;
  signal?: AbortSignal;
}

/**
 * The admin API over HTTP. Where the backend is comes from the discovery
 * API, and every request goes through the fetch API, which adds the signed-in
 * user's Backstage token: the admin API checks it on every request.
 */
export class McpGatewayAdminClient implements McpGatewayAdminApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async listAgents(options?: AdminRequestOptions): Promise<AgentsOverview> {
    return this.json('agents', { signal: options?.signal });
  }

  async getAgent(
    id: string,
    query?: { window?: ActivityWindow },
    options?: AdminRequestOptions,
  ): Promise<AgentDetail> {
    return this.json(`agents/${encodeURIComponent(id)}`, {
      query: { window: query?.window },
      signal: options?.signal,
    });
  }

  async disableAgent(id: string, reason: string): Promise<AgentStateChange> {
    return this.json(`agents/${encodeURIComponent(id)}/disable`, {
      method: 'POST',
      body: { reason },
    });
  }

  async enableAgent(id: string, reason?: string): Promise<AgentStateChange> {
    return this.json(`agents/${encodeURIComponent(id)}/enable`, {
      method: 'POST',
      body: reason ? { reason } : {},
    });
  }

  async getKillSwitch(options?: AdminRequestOptions): Promise<KillSwitchView> {
    return this.json('kill-switch', { signal: options?.signal });
  }

  async setKillSwitch(request: {
    engaged: boolean;
    reason?: string;
  }): Promise<KillSwitchView> {
    return this.json('kill-switch', {
      method: 'POST',
      body: {
        engaged: request.engaged,
        ...(request.reason && { reason: request.reason }),
      },
    });
  }

  async queryAudit(
    query: AuditPageQuery,
    options?: AdminRequestOptions,
  ): Promise<AuditPage> {
    return this.json('audit', {
      query: {
        ...auditFilterQuery(query),
        limit: query.limit,
        cursor: query.cursor,
      },
      signal: options?.signal,
    });
  }

  async exportAudit(
    filter: AuditFilterQuery,
    options?: AdminRequestOptions,
  ): Promise<Blob> {
    // The server streams every matching record when asked for NDJSON
    // without limit or cursor; a plain link could not carry the token.
    const response = await this.request('audit', {
      query: auditFilterQuery(filter),
      accept: NDJSON,
      signal: options?.signal,
    });
    return response.blob();
  }

  private async json<T>(path: string, init: RequestInit): Promise<T> {
    const response = await this.request(path, init);
    return (await response.json()) as T;
  }

  private async request(path: string, init: RequestInit): Promise<Response> {
    const baseUrl = await this.discoveryApi.getBaseUrl('mcp-gateway');
    const url = `${baseUrl}/admin/${path}${queryString(init.query)}`;
    const headers: Record<string, string> = {
      Accept: init.accept ?? 'application/json',
    };
    if (init.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const response = await this.fetchApi.fetch(url, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: init.signal,
    });
    if (!response.ok) {
      throw await errorOf(response);
    }
    return response;
  }
}

/** Only the filters that are set (an empty text field filters nothing). */
function auditFilterQuery(filter: AuditFilterQuery): Query {
  const query: Query = {};
  for (const key of AUDIT_FILTER_KEYS) {
    const value = filter[key]?.trim();
    if (value) query[key] = value;
  }
  return query;
}

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * The admin API's error body (`{ error: { name, message, code? } }`) as an
 * AdminApiError; anything else (a proxy's HTML page) by its status alone.
 */
async function errorOf(response: Response): Promise<AdminApiError> {
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const error = errorFields(body);
  return new AdminApiError({
    status: response.status,
    name: error.name,
    code: error.code,
    message:
      error.message ??
      `The MCP gateway's admin API answered ${response.status}${
        response.statusText ? ` ${response.statusText}` : ''
      }.`,
  });
}

function errorFields(body: unknown): {
  name?: string;
  message?: string;
  code?: string;
} {
  const error =
    typeof body === 'object' && body !== null
      ? (body as { error?: unknown }).error
      : undefined;
  if (typeof error !== 'object' || error === null) return {};
  const field = (key: string) => {
    const value = (error as Record<string, unknown>)[key];
    return typeof value === 'string' && value ? value : undefined;
  };
  return {
    name: field('name'),
    message: field('message'),
    code: field('code'),
  };
}
