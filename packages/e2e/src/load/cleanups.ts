/**
 * What to undo, last in first out. Every step runs even when one fails;
 * the first failure is thrown at the end.
 */
export class Cleanups {
  private readonly steps: Array<{
    what: string;
    step: () => Promise<unknown>;
  }> = [];

  add(what: string, step: () => Promise<unknown>) {
    this.steps.push({ what, step });
  }

  async run(log: (line: string) => void): Promise<void> {
    const errors: unknown[] = [];
    for (const { what, step } of this.steps.splice(0).reverse()) {
      try {
        await step();
      } catch (error) {
        log(`Cleanup failed: ${what}: ${String(error)}`);
        errors.push(error);
      }
    }
    if (errors.length > 0) throw errors[0];
  }
}
