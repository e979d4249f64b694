// Reconciliation after a (re)subscription, as docs/reconciliation.md advises: one implicit RECONCILE (the
// master answers every task it knows), and explicit RECONCILEs for the tracked non-terminal tasks not heard
// of since, repeated with a doubling interval (first → max) until every task's state is known.
import type { scheduler } from '@mesos-ts/proto';
import type { Clock, Timer } from '@mesos-ts/common';
import type { TaskTracker } from './task-tracker.js';

export interface ReconcileIntervals {
  firstMs: number;
  maxMs: number;
}

export class Reconciler {
  private timer: Timer | undefined;

  constructor(
    private readonly tracker: TaskTracker,
    private readonly clock: Clock,
    private readonly send: (call: scheduler.Call) => Promise<void>,
    private readonly onError: (error: unknown) => void,
    private readonly intervals: ReconcileIntervals,
  ) {}

  /** Call right after SUBSCRIBED (the tracker's `subscribed()` already ran). */
  start(): void {
    this.stop();
    this.send({ type: 'RECONCILE', reconcile: { tasks: [] } }).catch(this.onError);
    this.explicit();
    this.schedule(this.intervals.firstMs);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private explicit(): void {
    const tasks = this.tracker.unconfirmed();
    if (tasks.length > 0) this.send({ type: 'RECONCILE', reconcile: { tasks } }).catch(this.onError);
  }

  private schedule(intervalMs: number): void {
    this.timer = this.clock.setTimer(intervalMs, () => {
      if (this.tracker.unconfirmed().length === 0) return;
      this.explicit();
      this.schedule(Math.min(intervalMs * 2, this.intervals.maxMs));
    });
  }
}
