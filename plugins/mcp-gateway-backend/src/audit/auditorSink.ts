import {
  AuditorServiceEventSeverityLevel,
  AuditorService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { AuditRecord, AuditSink } from './auditRecord';
import { boundedArguments, boundedText } from './bounded';

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
    const { request, ...content } = record;
    try {
      const event = await this.auditor.createEvent({
        eventId: eventIdOf(record),
        severityLevel: severityOf(record),
        request,
        meta: {
          ...content,
          arguments: boundedArguments(content.arguments),
          reason: content.reason && boundedText(content.reason),
        },
      });
      if (record.outcome === 'succeeded') {
        await event.success();
      } else {
        await event.fail({
          error: new Error(boundedText(record.reason ?? record.outcome)),
        });
      }
    } catch (error) {
      // Auditing must never turn an answered call into a failed one.
      this.logger.error(`Could not write MCP gateway audit event: ${error}`);
    }
  }
}

function eventIdOf(record: AuditRecord): string {
  if (record.tool) return 'tool-call';
  if (record.method === 'tools/list') return 'tool-list';
  return 'mcp-request';
}

/**
 * Backstage's default auditor writes `low` at debug and `medium` and above
 * at info. Successful reads are routine (low); writes, and everything that
 * did not succeed, are what an administrator must see at the default level.
 */
function severityOf(record: AuditRecord): AuditorServiceEventSeverityLevel {
  if (record.outcome !== 'succeeded') return 'medium';
  return record.access === 'write' ? 'medium' : 'low';
}
