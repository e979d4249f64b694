import { describe, expect, it } from 'vitest';
import net from 'node:net';
import { MIN_REFUSALS, REFUSED_SPAN_MS, RefusalStreak, probeTcp, type ProbeOutcome } from './leader-probe.js';

/** Feeds `[outcome, atMs]` pairs; returns the verdict after each. */
function run(steps: readonly (readonly [ProbeOutcome, number])[]): boolean[] {
  const streak = new RefusalStreak();
  return steps.map(([o, at]) => streak.record(o, at));
}

describe('RefusalStreak', () => {
  const every250 = (n: number, o: ProbeOutcome = 'refused'): [ProbeOutcome, number][] => Array.from({ length: n }, (_, i) => [o, i * 250]);
  it.each([
    ['refusals over 1 s', every250(5), [false, false, false, false, true]],
    ['refusals spanning less than 1 s', every250(4), [false, false, false, false]],
    ['too few refusals over a long span', [['refused', 0], ['refused', 900], ['refused', 1_800]], [false, false, false]],
    ['a timeout (maybe a partition) restarts the streak', [...every250(3), ['unknown', 750], ['refused', 1_000], ['refused', 1_250], ['refused', 1_500], ['refused', 2_000]], [false, false, false, false, false, false, false, true]],
    ['a connection restarts the streak', [...every250(4), ['answered', 1_000], ['refused', 1_250]], [false, false, false, false, false, false]],
  ] as const)('%s', (_name, steps, verdicts) => {
    expect(run(steps)).toEqual(verdicts);
  });

  it('needs both the count and the span', () => {
    expect(MIN_REFUSALS).toBeGreaterThanOrEqual(2);
    expect(REFUSED_SPAN_MS).toBeGreaterThanOrEqual(1_000);
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
