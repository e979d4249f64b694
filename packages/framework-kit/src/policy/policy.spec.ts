import { describe, expect, it } from 'vitest';
import { DEFAULT_FAILOVER, NO_FAILURES, failoverDelay, registerFailure, registerStart, restartAt, triesExhausted, type FailoverState } from './failover.js';
import { NOT_STICKY, allowsHostname, stickinessExpires, stickyStarted, stickyStopped } from './stickiness.js';

const failures = (n: number, at = 0): FailoverState => {
  let s = NO_FAILURES;
  for (let i = 0; i < n; i++) s = registerFailure(s, at);
  return s;
};

describe('failover policy (1m doubling to 10m)', () => {
  it.each([
    [0, 0],
    [1, 60_000],
    [2, 120_000],
    [3, 240_000],
    [4, 480_000],
    [5, 600_000],
    [50, 600_000],
  ])('%d failures -> delay %d ms', (n, delay) => {
    expect(failoverDelay(DEFAULT_FAILOVER, failures(n))).toBe(delay);
  });

  it('waits out the delay after the last failure', () => {
    const s = failures(2, 1_000);
    expect(restartAt(DEFAULT_FAILOVER, s, 1_000)).toBe(121_000);
    expect(restartAt(DEFAULT_FAILOVER, s, 120_999)).toBe(121_000);
    expect(restartAt(DEFAULT_FAILOVER, s, 121_000)).toBeUndefined();
    expect(restartAt(DEFAULT_FAILOVER, registerStart(), 0)).toBeUndefined();
  });

  it.each([
    [undefined, 100, false],
    [3, 3, false],
    [3, 4, true],
    [0, 1, true],
  ])('maxTries %s after %d failures -> deactivate %s', (maxTries, n, exhausted) => {
    expect(triesExhausted({ ...DEFAULT_FAILOVER, ...(maxTries === undefined ? {} : { maxTries }) }, failures(n))).toBe(exhausted);
  });
});

describe('stickiness (10m)', () => {
  const period = 600_000;
  it.each([
    ['never started', NOT_STICKY, 'h2', 0, true],
    ['running on h1', stickyStarted('h1'), 'h2', 0, true],
    ['stopped 1m ago on h1, offer from h1', stickyStopped(stickyStarted('h1'), 0), 'h1', 60_000, true],
    ['stopped 1m ago on h1, offer from h2', stickyStopped(stickyStarted('h1'), 0), 'h2', 60_000, false],
    ['stopped 10m ago on h1, offer from h2', stickyStopped(stickyStarted('h1'), 0), 'h2', 600_000, true],
  ])('%s -> %s', (_, state, host, now, allowed) => {
    expect(allowsHostname(period, state, host, now)).toBe(allowed);
  });

  it('reports when it expires and keeps the first stop time', () => {
    const stopped = stickyStopped(stickyStarted('h1'), 5_000);
    expect(stickyStopped(stopped, 9_000)).toBe(stopped);
    expect(stickinessExpires(period, stopped)).toBe(605_000);
    expect(stickinessExpires(period, stickyStarted('h1'))).toBeUndefined();
  });
});
