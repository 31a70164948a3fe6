import { AuditEntry, AuditSink, AuditStart } from './auditRecord';

/**
 * Several sinks as one, in order: the durable store first (its failure
 * stops the request before anything else is written), then Backstage's
 * auditor, so existing log pipelines see every record too.
 */
export class AuditSinks implements AuditSink {
  constructor(private readonly sinks: AuditSink[]) {}

  async begin(start: AuditStart): Promise<AuditEntry> {
    const entries: AuditEntry[] = [];
    for (const sink of this.sinks) {
      entries.push(await sink.begin(start));
    }
    return {
      async end(end) {
        for (const entry of entries) {
          await entry.end(end);
        }
      },
    };
  }
}
