// Durations of framework flags and CLIs. kafka-mesos style `<n><unit>` with ms, s, m, h, d (`10s`, `5m`,
// `3h`, `30d`, `0s`; a bare `0` too), and Mesos style (`5secs`, `1.5hrs`) through @mesos-ts/wire, so both
// forms are accepted wherever a framework takes a duration. Values are milliseconds.
import { parseDuration as parseMesosDuration } from '@mesos-ts/wire';
import { KitError } from './errors.js';

const MS_PER: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PERIOD = /^(\d+)(ms|s|m|h|d)$/;

/** Parses `10s`, `5m`, `3h`, `30d`, `250ms`, `0`, or Mesos' `5secs` into milliseconds. */
export function parseDurationMs(text: string): number {
  const t = text.trim();
  if (t === '0') return 0;
  const match = PERIOD.exec(t);
  if (match) {
    const ms = Number(match[1]) * MS_PER[match[2]!]!;
    if (!Number.isSafeInteger(ms)) throw invalid(text, 'it is too long');
    return ms;
  }
  try {
    return Number(parseMesosDuration(t) / 1_000_000n);
  } catch {
    throw invalid(text, 'expected a whole number and a unit: 500ms, 10s, 5m, 3h, 30d (or Mesos style 5secs, 2hrs)');
  }
}

/** Formats milliseconds in the largest kafka-mesos unit that divides them: 60000 -> `1m`, 1500 -> `1500ms`. */
export function formatDurationMs(ms: number): string {
  if (!Number.isSafeInteger(ms) || ms < 0) throw new RangeError(`duration must be a non-negative whole number of ms, got ${ms}`);
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % MS_PER[unit]! === 0) return `${ms / MS_PER[unit]!}${unit}`;
  }
  return `${ms}ms`;
}

function invalid(text: string, why: string): KitError {
  return new KitError('INVALID_DURATION', `invalid duration '${text}': ${why}`);
}
