// Runs a probe on the health check schedule and applies the pure decisions of health-state.ts:
// first check after the delay, the next one `interval` after the previous one ended, each bounded
// by the timeout (the probe is aborted, killing what it started). Stops itself after a kill.
import type { Clock, Timer } from '@mesos-ts/common';
import { decide, INITIAL_STATE, type HealthState, type HealthTimings } from './health-state.js';
import type { Probe, ProbeResult } from './probe.js';

export interface CheckLoopOptions {
  onStatus: (healthy: boolean, consecutiveFailures: number) => void;
  onKill: () => void;
  /** Every probe result, for logs. */
  onResult?: (result: ProbeResult) => void;
  clock: Clock;
}

export class CheckLoop {
  private state: HealthState = INITIAL_STATE;
  private startedAt = 0;
  private running = false;
  private timer: Timer | undefined;
  private attempt: AbortController | undefined;

  constructor(
    private readonly probe: Probe,
    private readonly timings: HealthTimings,
    private readonly opts: CheckLoopOptions,
  ) {}

  /** Starts checking (again, from a fresh state); a no-op while running. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.state = INITIAL_STATE;
    this.startedAt = this.opts.clock.now();
    this.schedule(this.timings.delayMs);
  }

  /** Stops checking and aborts a check in progress; no callback fires afterwards. */
  stop(): void {
    this.running = false;
    if (this.timer !== undefined) this.timer.cancel();
    this.timer = undefined;
    this.attempt?.abort();
    this.attempt = undefined;
  }

  private schedule(ms: number): void {
    this.timer = this.opts.clock.setTimer(ms, () => {
      this.timer = undefined;
      void this.check();
    });
  }

  private async check(): Promise<void> {
    const { clock } = this.opts;
    const attempt = new AbortController();
    this.attempt = attempt;
    let timeout: Timer | undefined;
    const timedOut = new Promise<ProbeResult>((resolve) => {
      if (this.timings.timeoutMs === 0) return;
      timeout = clock.setTimer(this.timings.timeoutMs, () => {
        resolve({ healthy: false, message: `health check timed out after ${this.timings.timeoutMs / 1000} s` });
        attempt.abort();
      });
    });
    const probed = this.probe(attempt.signal).catch(
      (err: unknown): ProbeResult => ({ healthy: false, message: err instanceof Error ? err.message : String(err) }),
    );
    const result = await Promise.race([probed, timedOut]);
    if (timeout !== undefined) timeout.cancel();
    if (!this.running || this.attempt !== attempt) return;
    this.attempt = undefined;

    this.opts.onResult?.(result);
    const decision = decide(this.state, result.healthy, clock.now() - this.startedAt, this.timings);
    this.state = decision.state;
    if (decision.report !== undefined) this.opts.onStatus(decision.report.healthy, decision.report.consecutiveFailures);
    if (decision.kill) {
      this.stop();
      this.opts.onKill();
      return;
    }
    if (this.running) this.schedule(this.timings.intervalMs);
  }
}
