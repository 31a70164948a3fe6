import { JsonObject } from '@backstage/types';
import { AuditPage } from '@mcp-gateway/plugin-mcp-gateway-common';
import { AdminActionDeps } from './adminActionDeps';
import { AuditRequest, auditRequestOf } from './adminRequests';
import { AdminAction } from './adminRoute';
import { streamNdjson, wantsNdjson } from './ndjsonExport';

/**
 * `GET audit`: a page of matching records as JSON `{ records, nextCursor }`,
 * or, with `Accept: application/x-ndjson`, every matching record streamed.
 */
export function queryAudit({
  stores,
}: AdminActionDeps): AdminAction<AuditRequest & { exported: boolean }> {
  return {
    name: 'GET audit',
    audited: req => ({
      ...(req.query as JsonObject),
      ...(wantsNdjson(req) && { export: 'ndjson' }),
    }),
    prepare(req) {
      const exported = wantsNdjson(req);
      return {
        ...auditRequestOf(req.query, exported ? 'export' : 'page'),
        exported,
      };
    },
    async run({ filter, page, exported }) {
      if (exported) {
        return {
          stream: res => streamNdjson(stores.audit.export(filter), res),
        };
      }
      const { records, nextCursor } = await stores.audit.list(filter, page);
      return {
        json: {
          records,
          ...(nextCursor && { nextCursor }),
        } satisfies AuditPage,
        listed: records.length,
      };
    },
  };
}
