// Background upkeep a process runs every so often (the template sync, the delivery counts' fold):
// one run at a time, a failed run reported and retried at the next tick, stop() waiting for the
// run in progress. The timer never keeps the process alive.

export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  /** `everyMs` <= 0: never on its own (runOnce still runs it). */
  constructor(
    private readonly everyMs: number,
    private readonly run: (task: PeriodicTask) => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {}

  start(): void {
    if (this.everyMs <= 0) return;
    this.timer = setInterval(() => void this.runOnce(), this.everyMs);
    this.timer.unref();
  }

  /** Whether the task runs on its own (started and not stopped): a long run may stop early when not. */
  get active(): boolean {
    return this.timer !== undefined;
  }

  /** One run (or the one in progress). */
  runOnce(): Promise<void> {
    this.running ??= this.run(this)
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
