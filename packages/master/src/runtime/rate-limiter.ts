// --agent_removal_rate_limit: at most `permits` actions per `perMs`; the rest wait in order.
import type { Clock, Timer } from '@mesos-ts/common';

export class RateLimiter {
  private readonly queue: (() => void)[] = [];
  /** Times (ms) of the actions run within the current window. */
  private recent: number[] = [];
  private timer: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly permits: number,
    private readonly perMs: number,
  ) {}

  /** Runs `action` now if a permit is free, else once one frees up. */
  run(action: () => void): void {
    this.queue.push(action);
    this.drain();
  }

  get waiting(): number {
    return this.queue.length;
  }

  stop(): void {
    this.timer?.cancel();
    this.queue.length = 0;
  }

  private drain(): void {
    const now = this.clock.now();
    this.recent = this.recent.filter((t) => t > now - this.perMs);
    while (this.queue.length > 0 && this.recent.length < this.permits) {
      this.recent.push(now);
      (this.queue.shift() as () => void)();
    }
    if (this.queue.length > 0 && !this.timer) {
      const wait = (this.recent[0] as number) + this.perMs - now;
      this.timer = this.clock.setTimer(wait, () => {
        this.timer = undefined;
        this.drain();
      });
    }
  }
}
