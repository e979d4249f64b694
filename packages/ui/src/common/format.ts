// Small pure helpers shared by both UIs: Mesos resource lists to numbers, and human-readable sizes.

export interface ResourceJson { name: string; type?: string; scalar?: { value: number }; role?: string }

/** Sum of a scalar resource (cpus, mem, disk, gpus) over a Mesos resource list. */
export function scalar(resources: readonly ResourceJson[] | undefined, name: string): number {
  let sum = 0;
  for (const r of resources ?? []) if (r.name === name && r.scalar) sum += r.scalar.value;
  return Math.round(sum * 1000) / 1000;
}

/** Megabytes as "512 MB" / "1.5 GB". */
export function mb(value: number): string {
  return value >= 1024 ? `${(value / 1024).toFixed(1)} GB` : `${Math.round(value)} MB`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export function pct(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : '0%';
}
