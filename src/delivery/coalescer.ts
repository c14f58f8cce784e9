/**
 * Groups items that arrive within `delayMs` of each other (or `maxItems` of them) into one call
 * of `flush`, one call at a time. Each `add` resolves once its own item's flush succeeded, or
 * rejects with that flush's error. Items arriving while a flush runs go out as soon as it ends.
 */
export class Coalescer<T> {
  private pending: Array<{ item: T; resolve: () => void; reject: (err: unknown) => void }> = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;

  constructor(
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly opts: { delayMs: number; maxItems: number },
  ) {}

  add(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.flushing) return;
      if (this.pending.length >= this.opts.maxItems) this.run();
      else this.timer ??= setTimeout(() => this.run(), this.opts.delayMs);
    });
  }

  private run(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.flushing || this.pending.length === 0) return;
    this.flushing = true;
    const group = this.pending.splice(0, this.opts.maxItems);
    this.flush(group.map((g) => g.item))
      .then(
        () => {
          for (const g of group) g.resolve();
        },
        (err: unknown) => {
          for (const g of group) g.reject(err);
        },
      )
      .finally(() => {
        this.flushing = false;
        // What came in meanwhile has already waited a whole flush: no further delay.
        if (this.pending.length > 0) this.run();
      });
  }
}
