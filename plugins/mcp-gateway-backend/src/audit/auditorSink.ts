import {
  AuditorService,
  AuditorServiceEvent,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import { changesState } from '../core/operation';
import { AuditEnd, AuditEntry, AuditSink, AuditStart } from './auditRecord';
import { boundedArguments, boundedText } from './bounded';

/**
 * Writes each request as a Backstage auditor event, created when the
 * request is admitted (so a write's event exists before the write starts)
 * and finished with its outcome, reaching whatever the adopter's auditor
 * service ships events to.
 */
export class AuditorSink implements AuditSink {
  constructor(private readonly auditor: AuditorService) {}

  async begin(start: AuditStart): Promise<AuditEntry> {
    const { request, operation, arguments: args, ...who } = start;
    const event = await this.auditor.createEvent({
      eventId: eventIdOf(start),
      severityLevel: changesState(operation?.access ?? 'read')
        ? 'medium'
        : 'low',
      request,
      meta: {
        ...who,
        ...(operation && describeOperation(operation)),
        arguments: boundedArguments(args),
      } as JsonObject,
    });
    return {
      end: end => finish(event, end),
    };
  }
}

async function finish(event: AuditorServiceEvent, end: AuditEnd) {
  const meta = {
    ...end,
    reason: end.reason && boundedText(end.reason),
  } as JsonObject;
  if (end.outcome === 'succeeded') {
    await event.success({ meta });
    return;
  }
  // Backstage's default auditor writes `low` at debug and `medium` and
  // above at info: whatever did not succeed is what an administrator must
  // see at the default level, so it is raised to medium. (The default
  // auditor merges these options over the event's.)
  const failure: Parameters<AuditorServiceEvent['fail']>[0] & {
    severityLevel: AuditorServiceEventSeverityLevel;
  } = {
    error: new Error(boundedText(end.reason ?? end.outcome)),
    meta,
    severityLevel: 'medium',
  };
  await event.fail(failure);
}

/** The operation as the record names it: its name under its kind. */
function describeOperation(operation: NonNullable<AuditStart['operation']>) {
  const { kind, name, access, source } = operation;
  return { kind, [kind]: name, access, source };
}

function eventIdOf(start: AuditStart): string {
  if (start.operation?.kind === 'tool') return 'tool-call';
  if (start.method === 'tools/list') return 'tool-list';
  return 'mcp-request';
}
