// Pure decisions of a health checker (upstream: src/checks/health_checker.cpp), given each check's
// result and the time since the checker started. No timers or I/O here: CheckLoop applies them.
//
// Rules:
// - A failure while still initializing (no success yet) within the grace period is ignored.
// - The first success, and the first success after failures, report healthy.
// - Every counted failure reports unhealthy with the number of consecutive failures;
//   reaching `consecutive_failures` in a row also asks for the task to be killed.
import type { v1 } from '@mesos-ts/proto';
import { HealthCheckError } from './health-error.js';

/** Upstream defaults, in seconds (mesos.proto HealthCheck). */
export const DEFAULTS = {
  delay_seconds: 15,
  interval_seconds: 10,
  timeout_seconds: 20,
  consecutive_failures: 3,
  grace_period_seconds: 10,
} as const;

export interface HealthTimings {
  /** Before the first check. */
  readonly delayMs: number;
  /** From the end of one check to the start of the next. */
  readonly intervalMs: number;
  /** A check still running after this long fails; 0 means no timeout. */
  readonly timeoutMs: number;
  /** Failures before the first success are ignored for this long after start. */
  readonly gracePeriodMs: number;
  /**
   * Failures in a row (after grace) that kill the task. 0 never kills: the meaning Marathon gives
   * maxConsecutiveFailures=0, which it passes through to Mesos-level checks.
   */
  readonly consecutiveFailures: number;
}

export function resolveTimings(check: v1.HealthCheck): HealthTimings {
  const seconds = (field: Exclude<keyof typeof DEFAULTS, 'consecutive_failures'>): number => {
    const value = check[field] ?? DEFAULTS[field];
    if (!Number.isFinite(value) || value < 0) {
      throw new HealthCheckError(`health check ${field} must be a non-negative number of seconds (got ${value})`);
    }
    return Math.round(value * 1000);
  };
  const failures = check.consecutive_failures ?? DEFAULTS.consecutive_failures;
  if (!Number.isInteger(failures) || failures < 0) {
    throw new HealthCheckError(`health check consecutive_failures must be a non-negative integer (got ${failures})`);
  }
  return {
    delayMs: seconds('delay_seconds'),
    intervalMs: seconds('interval_seconds'),
    timeoutMs: seconds('timeout_seconds'),
    gracePeriodMs: seconds('grace_period_seconds'),
    consecutiveFailures: failures,
  };
}

export interface HealthState {
  /** No check has succeeded yet. */
  readonly initializing: boolean;
  /** Counted failures since the last success. */
  readonly consecutiveFailures: number;
}

export const INITIAL_STATE: HealthState = { initializing: true, consecutiveFailures: 0 };

export interface HealthDecision {
  readonly state: HealthState;
  /** What to tell the framework (TaskStatus.healthy), if anything. */
  readonly report?: { readonly healthy: boolean; readonly consecutiveFailures: number };
  /** Kill the task: too many failures in a row. */
  readonly kill: boolean;
}

export function decide(state: HealthState, healthy: boolean, sinceStartMs: number, timings: HealthTimings): HealthDecision {
  if (healthy) {
    const changed = state.initializing || state.consecutiveFailures > 0;
    return {
      state: { initializing: false, consecutiveFailures: 0 },
      ...(changed ? { report: { healthy: true, consecutiveFailures: 0 } } : {}),
      kill: false,
    };
  }
  if (state.initializing && timings.gracePeriodMs > 0 && sinceStartMs <= timings.gracePeriodMs) {
    return { state, kill: false };
  }
  const failures = state.consecutiveFailures + 1;
  return {
    state: { initializing: state.initializing, consecutiveFailures: failures },
    report: { healthy: false, consecutiveFailures: failures },
    kill: timings.consecutiveFailures > 0 && failures >= timings.consecutiveFailures,
  };
}
