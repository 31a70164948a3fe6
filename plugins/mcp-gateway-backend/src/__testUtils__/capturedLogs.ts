import {
  coreServices,
  createServiceFactory,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** One line a logger wrote, with the fields of every child it came through. */
export interface CapturedLog {
  level: LogLevel;
  message: string;
  fields: Record<string, any>;
  /** What a JSON log line would weigh, to bound log volume in tests. */
  size: number;
}

/** Levels Backstage's default logger writes (it is set to info). */
export const WRITTEN_AT_DEFAULT_LEVEL: LogLevel[] = ['error', 'warn', 'info'];

class CapturingLogger implements RootLoggerService {
  constructor(
    private readonly lines: CapturedLog[],
    private readonly fields: JsonObject = {},
  ) {}

  error(message: string, meta?: Error | JsonObject) {
    this.write('error', message, meta);
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.write('warn', message, meta);
  }
  info(message: string, meta?: Error | JsonObject) {
    this.write('info', message, meta);
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.write('debug', message, meta);
  }
  child(meta: JsonObject): CapturingLogger {
    return new CapturingLogger(this.lines, { ...this.fields, ...meta });
  }

  private write(level: LogLevel, message: string, meta?: Error | JsonObject) {
    const extra =
      meta instanceof Error
        ? { error: { name: meta.name, message: meta.message } }
        : meta;
    const fields = { ...this.fields, ...extra };
    let size = message.length;
    try {
      size += JSON.stringify(fields).length;
    } catch {
      size = Infinity;
    }
    this.lines.push({ level, message, fields, size });
  }
}

/**
 * A root logger that keeps every line in memory: tests read what the
 * backend (and Backstage's real auditor, which logs through it) wrote.
 */
export function capturingRootLogger(lines: CapturedLog[]) {
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => new CapturingLogger(lines),
  });
}
