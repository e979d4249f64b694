import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatDuration, parseDuration } from './duration.js';
import { WireError } from './errors.js';

const S = 1_000_000_000n;

describe('parseDuration', () => {
  it.each([
    ['5secs', 5n * S],
    ['500ms', 500_000_000n],
    ['1mins', 60n * S],
    ['2hrs', 7200n * S],
    ['3days', 3n * 86400n * S],
    ['1weeks', 604800n * S],
    ['10ns', 10n],
    ['250us', 250_000n],
    ['1.5secs', 1_500_000_000n],
    ['.5secs', 500_000_000n],
    ['2.secs', 2n * S],
    ['0.0000000019secs', 1n], // finer than 1 ns: truncated, as Mesos' int64 conversion does
    ['0ns', 0n],
    ['9223372036854775807ns', 2n ** 63n - 1n],
  ])('%s = %s ns', (text, nanos) => {
    expect(parseDuration(text)).toBe(nanos);
  });

  it.each([
    ['', /expected a number followed by a unit/],
    ['5', /expected a number followed by a unit/],
    ['secs', /expected a number followed by a unit/],
    ['-5secs', /expected a number followed by a unit/],
    ['5 secs', /expected a number followed by a unit/],
    ['5s', /unknown unit 's'; use one of ns, us, ms, secs, mins, hrs, days, weeks/],
    ['5seconds', /unknown unit 'seconds'/],
    ['1.2.3secs', /expected a number/],
    ['20000weeks', /longer than the largest duration/],
  ])('rejects %j', (text, pattern) => {
    expect(() => parseDuration(text)).toThrow(WireError);
    expect(() => parseDuration(text)).toThrow(pattern);
  });
});

describe('formatDuration (Mesos Duration stringify)', () => {
  it.each([
    [0n, '0ns'],
    [999n, '999ns'],
    [1_000n, '1us'],
    [1_500n, '1500ns'],
    [5n * S, '5secs'],
    [1_500_000_000n, '1500ms'],
    [90n * S, '90secs'],
    [60n * S, '1mins'],
    [7200n * S, '2hrs'],
    [10n * 86400n * S, '10days'],
    [14n * 86400n * S, '2weeks'],
    [1n * S + 1n, '1.000000001secs'],
    [61_500_000_000n, '1.025mins'],
    [-5n * S, '-5secs'],
  ])('%s ns -> %s', (nanos, text) => {
    expect(formatDuration(nanos)).toBe(text);
  });

  it('property: formats parse back exactly, or within 15 significant digits when a decimal is printed', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), fc.nat({ max: 18 }), (raw, digits) => {
        const nanos = raw / 10n ** BigInt(digits); // spread values over every unit's magnitude
        const text = formatDuration(nanos);
        const back = parseDuration(text);
        if (!text.includes('.')) expect(back).toBe(nanos);
        else expect(Number(back > nanos ? back - nanos : nanos - back)).toBeLessThanOrEqual(Number(nanos) / 1e14 + 1); // + 1 ns: parsing truncates
      }),
      { numRuns: 500 },
    );
  });
});
