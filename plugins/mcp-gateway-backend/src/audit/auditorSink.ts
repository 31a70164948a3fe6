import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { AuditRecord, AuditSink } from './auditRecord';

/**
 * Writes each audit record as a Backstage auditor event, so it reaches
 * whatever the adopter's auditor service ships events to.
 */
export class AuditorSink implements AuditSink {
  constructor(
    private readonly auditor: AuditorService,
    private readonly logger: LoggerService,
  ) {}

  async record(record: AuditRecord): Promise<void> {
    try {
      const event = await this.auditor.createEvent({
        eventId: record.tool ? 'tool-call' : 'mcp-request',
        severityLevel:
          record.access === 'write' || record.outcome === 'refused'
            ? 'medium'
            : 'low',
        meta: { ...record },
      });
      if (record.outcome === 'succeeded') {
        await event.success();
      } else {
        await event.fail({ error: new Error(record.reason ?? record.outcome) });
      }
    } catch (error) {
      // Auditing must never turn an answered call into a failed one.
      this.logger.error(`Could not write MCP gateway audit event: ${error}`);
    }
  }
}
