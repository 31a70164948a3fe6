import { resolvePackagePath } from '@backstage/backend-plugin-api';

/**
 * Turns the gateway's durable audit store off and on at run time, to measure
 * what it costs. The plugin has deliberately no setting for this, so the
 * bench swaps the plugin's `databaseAuditSink` module (jest.mock) for
 * `switchableDurableAudit(actual)`: the real sink, whose `begin` is skipped
 * while the switch is off, leaving the call audited through Backstage's
 * auditor only. No product code changes.
 */
export const durableAudit = { on: true };

/** Where the plugin's durable sink lives, resolved through the package. */
export const DATABASE_AUDIT_SINK_MODULE = resolvePackagePath(
  '@mcp-gateway/plugin-mcp-gateway-backend',
  'src/audit/databaseAuditSink',
);

/** The part of an audit entry the bench relies on. */
interface AuditEntryLike {
  end(end: unknown): Promise<void>;
}

type AuditSinkClass = new (...args: any[]) => {
  begin(start: unknown): Promise<AuditEntryLike>;
};

/** The module, with DatabaseAuditSink obeying `durableAudit.on`. */
export function switchableDurableAudit<
  M extends { DatabaseAuditSink: AuditSinkClass },
>(actual: M): M {
  class SwitchableDatabaseAuditSink extends actual.DatabaseAuditSink {
    async begin(start: unknown): Promise<AuditEntryLike> {
      if (durableAudit.on) {
        return super.begin(start);
      }
      return { end: async () => {} };
    }
  }
  return { ...actual, DatabaseAuditSink: SwitchableDatabaseAuditSink };
}
