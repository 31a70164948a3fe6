import { GroupCommit } from './groupCommit';

/** A write that finishes when the test says so, recording every batch. */
function controlledWrites() {
  const batches: number[][] = [];
  const finishes: Array<{ resolve: () => void; reject: (e: Error) => void }> =
    [];
  const write = jest.fn(
    (items: number[]) =>
      new Promise<void>((resolve, reject) => {
        batches.push(items);
        finishes.push({ resolve, reject });
      }),
  );
  return { batches, finishes, write };
}

/** Lets every settled promise run its callbacks. */
const settle = () => new Promise(resolve => setImmediate(resolve));

describe('GroupCommit', () => {
  it('writes a lone item at once, without waiting for company', async () => {
    const write = jest.fn(async (_items: string[]) => {});
    const commit = new GroupCommit(write);
    const done = commit.submit('a');
    // Called synchronously by submit: no timer, no tick.
    expect(write).toHaveBeenCalledWith(['a']);
    await expect(done).resolves.toBeUndefined();
  });

  it('commits 100 concurrent items in a few writes, each once and in order', async () => {
    const written: number[][] = [];
    const commit = new GroupCommit<number>(async items => {
      written.push(items);
      await settle();
    });
    const items = Array.from({ length: 100 }, (_, i) => i);
    await Promise.all(items.map(i => commit.submit(i)));
    expect(written.length).toBeLessThanOrEqual(3);
    expect(written.flat()).toEqual(items);
  });

  it('resolves a submitter only once the write that carried its item has finished', async () => {
    const { finishes, write } = controlledWrites();
    const commit = new GroupCommit(write);
    let firstDone = false;
    let secondDone = false;
    commit.submit(1).then(() => (firstDone = true));
    commit.submit(2).then(() => (secondDone = true));
    await settle();
    expect(write).toHaveBeenCalledTimes(1); // 2 waits: one write at a time
    expect(firstDone).toBe(false);

    finishes[0].resolve();
    await settle();
    expect(firstDone).toBe(true);
    expect(secondDone).toBe(false);
    expect(write).toHaveBeenCalledTimes(2);

    finishes[1].resolve();
    await settle();
    expect(secondDone).toBe(true);
  });

  it('rejects exactly the submitters of a failed write, and the next write still works', async () => {
    const { batches, finishes, write } = controlledWrites();
    const commit = new GroupCommit(write);
    const first = commit.submit(1);
    const failed = [commit.submit(2), commit.submit(3)];
    finishes[0].resolve();
    await first;
    await settle();
    expect(batches[1]).toEqual([2, 3]);
    const later = commit.submit(4);

    finishes[1].reject(new Error('database is down'));
    for (const submitter of failed) {
      await expect(submitter).rejects.toThrow('database is down');
    }
    await settle();
    expect(batches[2]).toEqual([4]);
    finishes[2].resolve();
    await expect(later).resolves.toBeUndefined();
  });

  it('fails the batch when the write throws instead of rejecting', async () => {
    let calls = 0;
    const commit = new GroupCommit<number>(() => {
      calls += 1;
      if (calls === 1) throw new Error('no connection');
      return Promise.resolve();
    });
    await expect(commit.submit(1)).rejects.toThrow('no connection');
    await expect(commit.submit(2)).resolves.toBeUndefined();
  });

  it('takes at most maxBatch items per write', async () => {
    const { batches, finishes, write } = controlledWrites();
    const commit = new GroupCommit(write, { maxBatch: 3 });
    const all = Promise.all(
      [1, 2, 3, 4, 5, 6, 7, 8].map(i => commit.submit(i)),
    );
    for (let i = 0; i < 4; i++) {
      await settle();
      finishes[i]?.resolve();
    }
    await all;
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6, 7], [8]]);
  });

  it('refuses a maxBatch that is not a positive integer', () => {
    expect(() => new GroupCommit(async () => {}, { maxBatch: 0 })).toThrow(
      'maxBatch must be a positive integer',
    );
  });
});
