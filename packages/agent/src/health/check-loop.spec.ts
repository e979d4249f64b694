import { describe, expect, it } from 'vitest';
import { ManualClock } from '@mesos-ts/common';
import { CheckLoop } from './check-loop.js';
import type { HealthTimings } from './health-state.js';
import type { Probe, ProbeResult } from './probe.js';

const timings: HealthTimings = { delayMs: 15_000, intervalMs: 10_000, timeoutMs: 20_000, gracePeriodMs: 10_000, consecutiveFailures: 3 };

/** Lets settled probe promises run their continuations. */
const flush = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A probe the test drives: each call is recorded (with the clock time and its signal) and waits
 * until the test settles it with `answer`.
 */
function drivenProbe(clock: ManualClock) {
  const calls: { at: number; signal: AbortSignal; settle: (r: ProbeResult) => void }[] = [];
  const probe: Probe = (signal) =>
    new Promise((resolve) => {
      calls.push({ at: clock.now(), signal, settle: resolve });
    });
  const answer = async (healthy: boolean) => {
    calls.at(-1)!.settle({ healthy, message: healthy ? 'ok' : 'nope' });
    await flush();
  };
  return { probe, calls, answer };
}

function setup(t: HealthTimings = timings) {
  const clock = new ManualClock(0);
  const driven = drivenProbe(clock);
  const events: string[] = [];
  const loop = new CheckLoop(driven.probe, t, {
    clock,
    onStatus: (healthy, n) => events.push(healthy ? 'healthy' : `unhealthy ${n}`),
    onKill: () => events.push('kill'),
  });
  return { clock, loop, events, ...driven };
}

describe('CheckLoop', () => {
  it('checks first after the delay, then every interval after the previous check ended', async () => {
    const { clock, loop, calls, answer, events } = setup();
    loop.start();
    clock.advance(14_999);
    expect(calls).toHaveLength(0);
    clock.advance(1);
    expect(calls.map((c) => c.at)).toEqual([15_000]);
    clock.advance(3_000); // the check takes 3 s
    await answer(true);
    clock.advance(9_999);
    expect(calls).toHaveLength(1);
    clock.advance(1);
    expect(calls.map((c) => c.at)).toEqual([15_000, 28_000]);
    await answer(true);
    expect(events).toEqual(['healthy']);
    loop.stop();
  });

  it('fails a check that outlives the timeout and aborts the probe', async () => {
    const { clock, loop, calls, events } = setup({ ...timings, gracePeriodMs: 0 });
    loop.start();
    clock.advance(15_000);
    clock.advance(19_999);
    await flush();
    expect(calls[0]!.signal.aborted).toBe(false);
    clock.advance(1);
    await flush();
    expect(calls[0]!.signal.aborted).toBe(true);
    expect(events).toEqual(['unhealthy 1']);
    clock.advance(10_000);
    expect(calls).toHaveLength(2);
    loop.stop();
  });

  it('kills after consecutive failures and then stops checking', async () => {
    const { clock, loop, calls, answer, events } = setup();
    loop.start();
    for (let i = 0; i < 3; i++) {
      clock.advance(i === 0 ? 15_000 : 10_000);
      await answer(false);
    }
    expect(events).toEqual(['unhealthy 1', 'unhealthy 2', 'unhealthy 3', 'kill']);
    expect(clock.pending()).toBe(0);
    clock.advance(60_000);
    expect(calls).toHaveLength(3);
  });

  it('ignores failures in the grace period until the first success', async () => {
    const { clock, loop, answer, events } = setup({ ...timings, delayMs: 0, intervalMs: 2_000 });
    loop.start();
    clock.advance(0);
    await answer(false); // t=0, in grace
    clock.advance(2_000);
    await answer(false); // t=2, in grace
    clock.advance(2_000);
    await answer(true); // t=4
    clock.advance(2_000);
    await answer(false); // t=6, still in grace but after a success: counts
    expect(events).toEqual(['healthy', 'unhealthy 1']);
    loop.stop();
  });

  it('stop() aborts the running check and silences it', async () => {
    const { clock, loop, calls, events } = setup();
    loop.start();
    clock.advance(15_000);
    loop.stop();
    expect(calls[0]!.signal.aborted).toBe(true);
    calls[0]!.settle({ healthy: true, message: 'late' });
    await flush();
    expect(events).toEqual([]);
    expect(clock.pending()).toBe(0);
  });

  it('start() after stop() begins afresh from the delay', async () => {
    const { clock, loop, calls, answer, events } = setup();
    loop.start();
    clock.advance(15_000);
    await answer(true);
    loop.stop();
    loop.start();
    loop.start(); // no-op while running
    clock.advance(15_000);
    expect(calls).toHaveLength(2);
    await answer(true);
    expect(events).toEqual(['healthy', 'healthy']);
    loop.stop();
  });

  it('treats a probe that throws as a failed check', async () => {
    const clock = new ManualClock(0);
    const events: string[] = [];
    const loop = new CheckLoop(() => Promise.reject(new Error('boom')), { ...timings, gracePeriodMs: 0 }, {
      clock,
      onStatus: (healthy, n) => events.push(`${healthy} ${n}`),
      onKill: () => events.push('kill'),
      onResult: (r) => events.push(r.message),
    });
    loop.start();
    clock.advance(15_000);
    await flush();
    expect(events).toEqual(['boom', 'false 1']);
    loop.stop();
  });
});
