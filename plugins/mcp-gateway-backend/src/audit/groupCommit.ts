/** How many items one write takes at most, unless told otherwise. */
const DEFAULT_MAX_BATCH = 500;

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: many callers each wait for their own item to be written,
 * without each waiting in line for a write of its own. One write runs at a
 * time; items submitted meanwhile queue, and when it finishes everything
 * queued goes into the next write (up to `maxBatch`). Nothing waits on a
 * timer: an item submitted while no write runs is written at once, so an
 * idle system pays no added latency, and a busy one writes in groups.
 */
export class GroupCommit<T> {
  private readonly maxBatch: number;
  private readonly queue: Waiting<T>[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    options: { maxBatch?: number } = {},
  ) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) {
      throw new Error(
        `GroupCommit maxBatch must be a positive integer, got ${maxBatch}`,
      );
    }
    this.maxBatch = maxBatch;
  }

  /**
   * Resolves once the write that carried this item has finished; rejects,
   * for every item of that write, when it failed.
   */
  submit(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flush();
    });
  }

  private flush() {
    if (this.writing || this.queue.length === 0) return;
    this.writing = true;
    const batch = this.queue.splice(0, this.maxBatch);
    let written: Promise<void>;
    try {
      written = this.write(batch.map(waiting => waiting.item));
    } catch (error) {
      // A write that throws before returning a promise fails its batch alike.
      written = Promise.reject(error);
    }
    Promise.resolve(written)
      .then(
        () => batch.forEach(waiting => waiting.resolve()),
        error => batch.forEach(waiting => waiting.reject(error)),
      )
      .finally(() => {
        this.writing = false;
        this.flush();
      });
  }
}
