import { describe, expect, it } from 'vitest';
import type { scheduler } from '@mesos-ts/proto';
import type { Clock } from '@mesos-ts/common';
import { Reconciler } from './reconciler.js';
import { TaskTracker } from './task-tracker.js';

/** A clock whose time only moves when the test says so. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; live: boolean }> = [];
  return {
    now: () => now,
    setTimer(ms, fn) {
      const t = { at: now + ms, fn, live: true };
      timers.push(t);
      return { cancel: () => void (t.live = false) };
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.live && t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (due === undefined) break;
        due.live = false;
        now = due.at;
        due.fn();
      }
      now = end;
    },
  };
}

describe('Reconciler', () => {
  it('reconciles implicitly once and explicitly with a doubling interval until every task is known', () => {
    const clock = manualClock();
    const tracker = new TaskTracker();
    tracker.launched('a', 'agent-1', 0);
    tracker.launched('b', 'agent-1', 0);
    tracker.subscribed();
    const sent: Array<{ at: number; tasks: string[] }> = [];
    const send = (call: scheduler.Call): Promise<void> => {
      sent.push({ at: clock.now(), tasks: (call.reconcile?.tasks ?? []).map((t) => t.task_id.value) });
      return Promise.resolve();
    };
    const r = new Reconciler(tracker, clock, send, () => undefined, { firstMs: 50, maxMs: 200 });
    r.start();
    expect(sent).toEqual([{ at: 0, tasks: [] }, { at: 0, tasks: ['a', 'b'] }]);
    clock.advance(50 + 100 + 200 + 200);
    expect(sent.slice(2).map((s) => s.at)).toEqual([50, 150, 350, 550]);
    tracker.update({ task_id: { value: 'a' }, state: 'TASK_RUNNING' }, 560);
    clock.advance(200);
    expect(sent.at(-1)).toEqual({ at: 750, tasks: ['b'] });
    tracker.update({ task_id: { value: 'b' }, state: 'TASK_LOST' }, 760);
    const count = sent.length;
    clock.advance(10_000);
    expect(sent.length).toBe(count);
  });

  it('stops when told (stream lost)', () => {
    const clock = manualClock();
    const tracker = new TaskTracker();
    tracker.launched('a', undefined, 0);
    tracker.subscribed();
    let calls = 0;
    const r = new Reconciler(tracker, clock, () => Promise.resolve(void calls++), () => undefined, { firstMs: 50, maxMs: 200 });
    r.start();
    r.stop();
    clock.advance(1_000);
    expect(calls).toBe(2);
  });
});
