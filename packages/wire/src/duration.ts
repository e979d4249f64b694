// Mesos duration strings (stout's Duration): a decimal number followed by one unit, e.g. `5secs`, `500ms`,
// `1.5secs`. Values are nanoseconds as bigint, Mesos' own representation (int64 ns), so nothing is rounded
// except digits finer than 1 ns, which are truncated as Mesos truncates them.
import { WireError } from './errors.js';

const NS_PER: Readonly<Record<DurationUnit, bigint>> = {
  ns: 1n,
  us: 1_000n,
  ms: 1_000_000n,
  secs: 1_000_000_000n,
  mins: 60_000_000_000n,
  hrs: 3_600_000_000_000n,
  days: 86_400_000_000_000n,
  weeks: 604_800_000_000_000n,
};

export type DurationUnit = 'ns' | 'us' | 'ms' | 'secs' | 'mins' | 'hrs' | 'days' | 'weeks';

const INT64_MAX = 2n ** 63n - 1n;
const DURATION = /^(\d+)?(?:\.(\d*))?([a-z]+)$/;

/** Parses `<decimal><unit>` into nanoseconds. Like Mesos: no sign, no spaces, units exactly as listed above. */
export function parseDuration(text: string): bigint {
  const match = DURATION.exec(text);
  const unit = match?.[3] as DurationUnit | undefined;
  const whole = match?.[1] ?? '';
  const fraction = match?.[2] ?? '';
  if (!match || (whole === '' && fraction === '')) {
    throw new WireError('INVALID_DURATION', `invalid duration '${text}': expected a number followed by a unit, e.g. 5secs, 500ms, 1.5hrs`);
  }
  const scale = unit !== undefined ? NS_PER[unit] : undefined;
  if (scale === undefined) {
    throw new WireError('INVALID_DURATION', `invalid duration '${text}': unknown unit '${unit}'; use one of ${Object.keys(NS_PER).join(', ')}`);
  }
  // whole * scale + fraction * scale / 10^digits, truncated toward zero.
  const nanos = BigInt(whole || '0') * scale + (BigInt(fraction || '0') * scale) / 10n ** BigInt(fraction.length);
  if (nanos > INT64_MAX) throw new WireError('INVALID_DURATION', `invalid duration '${text}': longer than the largest duration (2^63-1 ns)`);
  return nanos;
}

/**
 * Formats nanoseconds like Mesos' `operator<<(ostream&, Duration)`: take the largest unit not larger than the
 * value; if the value is not a whole number of that unit but is of the next smaller unit, use that one
 * (1500ms rather than 1.5secs, 10days rather than 1.43weeks); otherwise print a decimal (15 significant digits) in the larger unit.
 */
export function formatDuration(nanos: bigint): string {
  if (nanos < 0n) return `-${formatDuration(-nanos)}`;
  const units: DurationUnit[] = ['ns', 'us', 'ms', 'secs', 'mins', 'hrs', 'days', 'weeks'];
  let index = 0;
  while (index + 1 < units.length && nanos >= NS_PER[units[index + 1]!]) index++;
  const unit = units[index]!;
  if (index > 0 && nanos % NS_PER[unit] !== 0n && nanos % NS_PER[units[index - 1]!] === 0n) {
    const smaller = units[index - 1]!;
    return `${nanos / NS_PER[smaller]}${smaller}`;
  }
  return `${decimal(nanos, NS_PER[unit])}${unit}`;
}

/** nanos / scale printed as Mesos does: a double with 15 significant digits, trailing zeros dropped. */
function decimal(nanos: bigint, scale: bigint): string {
  if (nanos % scale === 0n) return (nanos / scale).toString();
  return String(Number((Number(nanos) / Number(scale)).toPrecision(15)));
}
