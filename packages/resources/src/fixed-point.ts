// Scalars use Mesos' fixed-point semantics: values are rounded to 3 decimal places.
// Internally a scalar is an integer count of milli-units (1 cpu = 1000), so sums are exact
// (0.1 + 0.2 === 0.3) and comparisons never drift.

/** Converts a non-negative finite double to milli-units, rounding to the nearest 1/1000. */
export function toMilli(value: number): number {
  return Math.round(value * 1000);
}

/** Converts milli-units back to a double with at most 3 decimals. */
export function fromMilli(milli: number): number {
  return milli / 1000;
}

/** Renders milli-units without trailing zeros: 4000 → '4', 1500 → '1.5', 1 → '0.001'. */
export function formatMilli(milli: number): string {
  return String(milli / 1000);
}
