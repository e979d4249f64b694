import { describe, expect, it } from 'vitest';
import { HealthCheckError } from './health-error.js';
import { decide, INITIAL_STATE, resolveTimings, type HealthTimings } from './health-state.js';

const timings = (over: Partial<HealthTimings> = {}): HealthTimings => ({
  delayMs: 0,
  intervalMs: 10_000,
  timeoutMs: 20_000,
  gracePeriodMs: 10_000,
  consecutiveFailures: 3,
  ...over,
});

/** A check result at `at` seconds after start; `ok` true = healthy. */
type Step = [at: number, ok: boolean];

/** Runs the steps through decide(); returns the reports as 'H' (healthy) or 'U<n>', and the step index of a kill. */
function run(steps: Step[], t: HealthTimings): { reports: string[]; killAt: number | undefined } {
  let state = INITIAL_STATE;
  const reports: string[] = [];
  let killAt: number | undefined;
  steps.forEach(([at, ok], i) => {
    const d = decide(state, ok, at * 1000, t);
    state = d.state;
    if (d.report !== undefined) reports.push(d.report.healthy ? 'H' : `U${d.report.consecutiveFailures}`);
    if (d.kill && killAt === undefined) killAt = i;
  });
  return { reports, killAt };
}

describe('decide', () => {
  it.each<[string, Step[], Partial<HealthTimings>, string[], number | undefined]>([
    ['first success reports healthy once', [[15, true], [25, true], [35, true]], {}, ['H'], undefined],
    ['failures in grace are ignored', [[1, false], [5, false], [10, false], [12, true]], {}, ['H'], undefined],
    ['the grace period ends after its last millisecond', [[10, false], [10.001, false]], {}, ['U1'], undefined],
    ['failures after grace count and kill at the limit', [[15, false], [25, false], [35, false]], {}, ['U1', 'U2', 'U3'], 2],
    ['grace no longer applies after a success', [[1, true], [2, false], [3, false], [4, false]], {}, ['H', 'U1', 'U2', 'U3'], 3],
    ['a success resets the count and reports recovery', [[15, false], [25, false], [35, true], [45, false], [55, true]], {},
      ['U1', 'U2', 'H', 'U1', 'H'], undefined],
    ['grace 0 counts every failure', [[0, false]], { gracePeriodMs: 0, consecutiveFailures: 1 }, ['U1'], 0],
    ['consecutive_failures 0 never kills', [[15, false], [25, false], [35, false], [45, false]], { consecutiveFailures: 0 },
      ['U1', 'U2', 'U3', 'U4'], undefined],
    ['ignored grace failures do not count toward the limit', [[1, false], [2, false], [11, false], [12, false]],
      { consecutiveFailures: 2 }, ['U1', 'U2'], 3],
  ])('%s', (_name, steps, over, reports, killAt) => {
    expect(run(steps, timings(over))).toEqual({ reports, killAt });
  });
});

describe('resolveTimings', () => {
  it('applies upstream defaults', () => {
    expect(resolveTimings({})).toEqual({
      delayMs: 15_000,
      intervalMs: 10_000,
      timeoutMs: 20_000,
      gracePeriodMs: 10_000,
      consecutiveFailures: 3,
    });
  });

  it('takes fractional seconds', () => {
    expect(resolveTimings({ delay_seconds: 0.05, interval_seconds: 0.25, timeout_seconds: 0 })).toMatchObject({
      delayMs: 50,
      intervalMs: 250,
      timeoutMs: 0,
    });
  });

  it.each([
    [{ interval_seconds: -1 }, /interval_seconds must be a non-negative number of seconds \(got -1\)/],
    [{ timeout_seconds: Number.NaN }, /timeout_seconds must be/],
    [{ consecutive_failures: 1.5 }, /consecutive_failures must be a non-negative integer/],
    [{ consecutive_failures: -2 }, /consecutive_failures must be a non-negative integer/],
  ])('rejects %j', (check, message) => {
    expect(() => resolveTimings(check)).toThrow(HealthCheckError);
    expect(() => resolveTimings(check)).toThrow(message);
  });
});
