import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { CONFIRM_INTERVAL_MS, FENCE_MS, MIN_REFUSALS, PROBE_LEASE_MS, REFUSED_SPAN_MS, RefusalStreak, probeTcp, type ProbeOutcome } from './leader-probe.js';

/** Feeds `[outcome, atMs]` pairs; returns the verdict after each. */
function run(steps: readonly (readonly [ProbeOutcome, number])[]): boolean[] {
  const streak = new RefusalStreak();
  return steps.map(([o, at]) => streak.record(o, at));
}

describe('RefusalStreak', () => {
  const every50 = (n: number, o: ProbeOutcome = 'refused'): [ProbeOutcome, number][] => Array.from({ length: n }, (_, i) => [o, i * 50]);
  it.each([
    ['three refusals over 100 ms', every50(3), [false, false, true]],
    ['refusals spanning less than 100 ms', [['refused', 0], ['refused', 40], ['refused', 80], ['refused', 99]], [false, false, false, false]],
    ['too few refusals over a long span', [['refused', 0], ['refused', 900]], [false, false]],
    ['a timeout (maybe a partition) restarts the streak', [...every50(2), ['unknown', 100], ['refused', 150], ['refused', 200], ['refused', 250]], [false, false, false, false, false, true]],
    ['a connection restarts the streak', [...every50(2), ['answered', 100], ['refused', 150], ['refused', 200]], [false, false, false, false, false]],
  ] as const)('%s', (_name, steps, verdicts) => {
    expect(run(steps)).toEqual(verdicts);
  });

  it('needs both the count and the span', () => {
    expect(MIN_REFUSALS).toBeGreaterThanOrEqual(2);
    expect(REFUSED_SPAN_MS).toBeGreaterThanOrEqual(2 * CONFIRM_INTERVAL_MS);
  });
});

describe('fence and lease', () => {
  it('the fence outlasts the capped lease by at least its lapse-check period (lease / 10)', () => {
    expect(FENCE_MS).toBeGreaterThanOrEqual(PROBE_LEASE_MS * 1.1);
  });
});

describe('probeTcp', () => {
  it('tells a listening port (answered) from a closed one (refused)', async () => {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      expect(await probeTcp({ hostname: '127.0.0.1', port }, 1_000)).toBe('answered');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
    expect(await probeTcp({ hostname: '127.0.0.1', port }, 1_000)).toBe('refused');
  });

  it('counts a name that does not resolve as unknown, never as refused', async () => {
    expect(await probeTcp({ hostname: 'no-such-host.invalid', port: 5050 }, 2_000)).toBe('unknown');
  });
});
