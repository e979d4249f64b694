import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isKitError } from './errors.js';
import { formatDurationMs, parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['10s', 10_000],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['3h', 10_800_000],
    ['30d', 2_592_000_000],
    ['0s', 0],
    ['0', 0],
    ['250ms', 250],
    [' 1m ', 60_000],
    ['5secs', 5_000],
    ['1.5hrs', 5_400_000],
    ['2days', 172_800_000],
  ])('%j -> %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', 's', '10', '1.5s', '-1s', '10 s', '5y', '1w', 'abc', '99999999999999999d'])('rejects %j', (text) => {
    try {
      parseDurationMs(text);
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, 'INVALID_DURATION')).toBe(true);
      expect((e as Error).message).toContain(`'${text}'`);
    }
  });
});

describe('formatDurationMs', () => {
  it.each([
    [0, '0s'],
    [10_000, '10s'],
    [60_000, '1m'],
    [600_000, '10m'],
    [2_592_000_000, '30d'],
    [90_000, '90s'],
    [1_500, '1500ms'],
  ])('%d -> %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });

  it('round-trips', () => {
    fc.assert(fc.property(fc.nat({ max: 2 ** 40 }), (ms) => parseDurationMs(formatDurationMs(ms)) === ms));
  });
});
