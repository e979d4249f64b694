// Spark's memory strings and the Mesos memory overhead, pure. `512m`, `1g`, `2048k`; a bare number is bytes
// (JavaUtils.byteStringAsBytes), and Utils.memoryStringToMb rounds down to MB. Fractions are refused, as in Spark.

const UNITS: Record<string, number> = { b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4, p: 1024 ** 5, pb: 1024 ** 5 };

/** MB in a Spark memory string, or undefined when it is not one. */
export function memoryStringToMb(text: string): number | undefined {
  const m = /^([0-9]+)([a-z]+)?$/.exec(text.trim().toLowerCase());
  if (m === null) return undefined;
  const unit = UNITS[m[2] ?? 'b'];
  if (unit === undefined) return undefined;
  return Math.floor((Number(m[1]) * unit) / 1024 ** 2);
}

/** Mesos' default overhead on top of a JVM heap: max(10 %, 384 MB) (MesosSchedulerUtils). */
export const MEMORY_OVERHEAD_MIN_MB = 384;
export const MEMORY_OVERHEAD_FRACTION = 0.1;

/** Heap plus overhead, MB; `overheadMb` (spark.mesos.*.memoryOverhead) replaces the default when given. */
export function withOverhead(heapMb: number, overheadMb?: number): number {
  return heapMb + (overheadMb ?? Math.max(Math.floor(MEMORY_OVERHEAD_FRACTION * heapMb), MEMORY_OVERHEAD_MIN_MB));
}
