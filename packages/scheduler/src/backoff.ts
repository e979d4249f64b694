// Reconnect delays: exponential growth capped at `maxMs`, with "equal jitter" (half fixed, half random) so a
// fleet of schedulers that lost the same master does not reconnect in lockstep. Pure.

export interface BackoffOptions {
  /** Delay before the first retry, ms (before jitter). Default 500. */
  initialMs?: number;
  /** Cap, ms. Default 15000 (Mesos' advice for scheduler reconnects). */
  maxMs?: number;
}

export const DEFAULT_BACKOFF = { initialMs: 500, maxMs: 15_000 } as const;

/** Delay before retry number `attempt` (0 = first retry), in [base/2, base) where base = min(max, initial·2^attempt). */
export function backoffDelay(attempt: number, random: () => number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? DEFAULT_BACKOFF.initialMs;
  const max = options.maxMs ?? DEFAULT_BACKOFF.maxMs;
  const base = Math.min(max, initial * 2 ** Math.min(attempt, 40));
  return Math.round(base / 2 + (random() * base) / 2);
}
