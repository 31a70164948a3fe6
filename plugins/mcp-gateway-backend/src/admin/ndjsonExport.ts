import { Request, Response } from 'express';

export const NDJSON = 'application/x-ndjson';

/** How an export went, for its audit record. */
export interface ExportSummary {
  records: number;
  bytes: number;
  /** Why the stream stopped early; absent when every record was sent. */
  cut?: {
    code: 'client-gone' | 'store-failed';
    reason: string;
    error?: unknown;
  };
}

/** Does the caller ask for NDJSON? (`Accept: application/x-ndjson`, among others or alone.) */
export function wantsNdjson(req: Request): boolean {
  return (req.headers.accept ?? '')
    .split(',')
    .some(type => type.split(';')[0].trim().toLowerCase() === NDJSON);
}

/**
 * Streams records as NDJSON, one JSON document a line, at the pace the
 * client reads. Nothing is sent before the first record is in hand, so a
 * store that fails at once still gets a proper error status (this throws);
 * a failure later cuts the connection, so a partial export never looks
 * like a whole one.
 */
export async function streamNdjson(
  records: AsyncIterable<object>,
  res: Response,
): Promise<ExportSummary> {
  const iterator = records[Symbol.asyncIterator]();
  let next = await iterator.next();

  let clientGone = false;
  res.once('close', () => {
    clientGone = !res.writableFinished;
  });
  res.status(200);
  res.setHeader('Content-Type', NDJSON);
  res.setHeader('Cache-Control', 'no-store');

  const summary: ExportSummary = { records: 0, bytes: 0 };
  try {
    while (!next.done) {
      if (clientGone || res.destroyed) {
        summary.cut = {
          code: 'client-gone',
          reason: `The client went away after ${summary.records} record(s).`,
        };
        return summary;
      }
      const line = `${JSON.stringify(next.value)}\n`;
      summary.records += 1;
      summary.bytes += Buffer.byteLength(line);
      if (!res.write(line)) await drained(res);
      next = await iterator.next();
    }
    res.end();
    return summary;
  } catch (error) {
    res.destroy();
    summary.cut = {
      code: 'store-failed',
      reason: `Reading the audit failed after ${summary.records} record(s); the export was cut.`,
      error,
    };
    return summary;
  } finally {
    if (!next.done) await closeQuietly(iterator);
  }
}

/** Lets the store release what it holds (a cursor, a connection). */
async function closeQuietly(iterator: AsyncIterator<unknown>) {
  try {
    await iterator.return?.();
  } catch {
    // The export is already over; its record says how.
  }
}

/** Resolves when the client has read enough to write more, or has gone. */
function drained(res: Response) {
  if (res.destroyed) return Promise.resolve();
  return new Promise<void>(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.once('drain', done);
    res.once('close', done);
  });
}
