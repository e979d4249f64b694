// kafka-mesos failover: after a member's task fails it is restarted after `delay`, doubling with each
// consecutive failure up to `maxDelay`; past `maxTries` consecutive failures the member is deactivated.
// A successful start resets the count. Pure: state in, state out, time as a parameter (ms).

export interface FailoverPolicy {
  delayMs: number;
  maxDelayMs: number;
  /** Undefined = retry forever. */
  maxTries?: number;
}

/** kafka-mesos defaults: 1m doubling to 10m, no limit. */
export const DEFAULT_FAILOVER: FailoverPolicy = { delayMs: 60_000, maxDelayMs: 600_000 };

export interface FailoverState {
  /** Consecutive failures since the last successful start. */
  failures: number;
  /** When the last failure happened (ms), undefined without failures. */
  failureTime: number | undefined;
}

export const NO_FAILURES: FailoverState = { failures: 0, failureTime: undefined };

export function registerFailure(state: FailoverState, now: number): FailoverState {
  return { failures: state.failures + 1, failureTime: now };
}

export function registerStart(): FailoverState {
  return NO_FAILURES;
}

/** The delay before the next restart: delay·2^(failures-1), capped; 0 without failures. */
export function failoverDelay(policy: FailoverPolicy, state: FailoverState): number {
  if (state.failures === 0) return 0;
  return Math.min(policy.maxDelayMs, policy.delayMs * 2 ** Math.min(state.failures - 1, 40));
}

/** When the member may be restarted (ms), or undefined when it may be restarted now. */
export function restartAt(policy: FailoverPolicy, state: FailoverState, now: number): number | undefined {
  if (state.failureTime === undefined) return undefined;
  const at = state.failureTime + failoverDelay(policy, state);
  return now < at ? at : undefined;
}

/** True once the consecutive failures exceed maxTries: the member should be deactivated. */
export function triesExhausted(policy: FailoverPolicy, state: FailoverState): boolean {
  return policy.maxTries !== undefined && state.failures > policy.maxTries;
}
