import type { Logger } from "pino";

/**
 * Runs `task` every `intervalMs`, one run at a time (the next is scheduled when the last ends).
 * stop() cancels the schedule and waits for a run in progress: shutdown never cuts one in half.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(private readonly name: string, private readonly intervalMs: number, private readonly task: () => Promise<void>, private readonly logger: Logger) {}

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.task()
        .catch((error: unknown) => { this.logger.warn({ err: error, task: this.name }, `${this.name} failed; it runs again in ${this.intervalMs} ms`); })
        .finally(() => {
          this.running = undefined;
          this.schedule();
        });
    }, this.intervalMs);
    this.timer.unref();
  }
}
