// Small human formats used in tables: elapsed time, resource amounts.

/** Seconds → `45s`, `3m05s`, `2h07m`, `3d04h`. Negative or non-finite input renders as `-`. */
export function formatElapsed(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.floor(seconds);
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${two(Math.floor((s % 3600) / 60))}m`;
  return `${Math.floor(s / 86400)}d${two(Math.floor((s % 86400) / 3600))}h`;
}

/** A scalar as Mesos prints it: at most 3 decimals, no trailing zeros (0.1, 128, 1.5). */
export function formatScalar(value: unknown): string {
  const n = typeof value === 'number' ? value : Number(value ?? 0);
  if (!Number.isFinite(n)) return '-';
  return String(Math.round(n * 1000) / 1000);
}

/** Megabytes → `128M`, `2G`, `1.5G` (Mesos mem/disk scalars are MB). */
export function formatMegabytes(value: unknown): string {
  const mb = typeof value === 'number' ? value : Number(value ?? 0);
  if (!Number.isFinite(mb)) return '-';
  if (mb >= 1024 * 1024) return `${formatScalar(mb / (1024 * 1024))}T`;
  if (mb >= 1024) return `${formatScalar(mb / 1024)}G`;
  return `${formatScalar(mb)}M`;
}
