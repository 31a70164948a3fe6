/**
 * A request the admin API answered with an error: the server's message as
 * it wrote it (for people), and its status and code (for the page to decide
 * what to show, e.g. "you are not an admin" for 403).
 */
export class AdminApiError extends Error {
  readonly status: number;
  /** The server's machine-readable code, e.g. `not-admin`, `disabled-in-config`. */
  readonly code?: string;

  constructor(options: {
    message: string;
    status: number;
    name?: string;
    code?: string;
  }) {
    super(options.message);
    this.name = options.name ?? 'AdminApiError';
    this.status = options.status;
    this.code = options.code;
  }
}

/** The caller is not an admin: no `mcp-gateway.admin`, or not in `mcpGateway.admins`. */
export function isNotAdminError(error: unknown): boolean {
  return error instanceof AdminApiError && error.status === 403;
}
