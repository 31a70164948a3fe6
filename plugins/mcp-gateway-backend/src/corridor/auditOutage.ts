import { LoggerService } from '@backstage/backend-plugin-api';

/**
 * Logs an unwritable audit store once per outage rather than once per
 * request (a busy gateway would write thousands of identical stack traces
 * a second), and says when it recovered and how many requests it cost.
 */
export class AuditOutage {
  private failures = 0;

  constructor(private readonly logger: LoggerService) {}

  failed(message: string, error: Error): void {
    this.failures += 1;
    if (this.failures === 1) {
      this.logger.error(
        `${message}. Further audit failures are counted, not logged, until the audit store recovers.`,
        error,
      );
    }
  }

  succeeded(): void {
    if (this.failures === 0) return;
    this.logger.info(
      `The audit store recovered; ${this.failures} request(s) could not be audited meanwhile`,
    );
    this.failures = 0;
  }
}
