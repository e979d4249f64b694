// Time for everything in the master that depends on it (allocation loop, offer timeouts, heartbeats, pings,
// failover timers), so tests can drive it with a ManualClock instead of sleeping. Times are ms since the epoch.

export interface TimerHandle {
  cancel(): void;
}

export interface Clock {
  now(): number;
  /** Runs `fn` once after `ms` milliseconds. */
  schedule(ms: number, fn: () => void): TimerHandle;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    // Timers must not keep a stopped master's process alive.
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};

/** Runs `fn` every `ms` until cancelled (re-armed after each run, so slow runs never overlap). */
export function every(clock: Clock, ms: number, fn: () => void): TimerHandle {
  let current: TimerHandle | undefined;
  let cancelled = false;
  const arm = (): void => {
    current = clock.schedule(ms, () => {
      if (cancelled) return;
      fn();
      if (!cancelled) arm();
    });
  };
  arm();
  return {
    cancel: () => {
      cancelled = true;
      current?.cancel();
    },
  };
}
