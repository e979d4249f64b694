// Choosing task ports out of offered port ranges. Pure; ranges are inclusive [begin, end] pairs.

/**
 * `count` = the lowest `count` free ports, in ascending order; a list = exactly those ports (each must lie in
 * a range, duplicates refused). Undefined when the ranges cannot satisfy the request.
 */
export function allocatePorts(ranges: ReadonlyArray<readonly [number, number]>, request: number | readonly number[]): number[] | undefined {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  if (typeof request === 'number') {
    const out: number[] = [];
    for (const [begin, end] of sorted) {
      // Overlapping ranges: never go below the last port taken.
      const last = out[out.length - 1];
      for (let p = last === undefined ? begin : Math.max(begin, last + 1); p <= end && out.length < request; p++) out.push(p);
      if (out.length >= request) return out;
    }
    return request === 0 ? [] : undefined;
  }
  if (new Set(request).size !== request.length) return undefined;
  return request.every((p) => sorted.some(([b, e]) => p >= b && p <= e)) ? [...request] : undefined;
}

/** Folds ports into merged inclusive ranges: [31000, 31001, 31005] -> [[31000, 31001], [31005, 31005]]. */
export function toRanges(ports: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const p of [...ports].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last !== undefined && p <= last[1] + 1) last[1] = Math.max(last[1], p);
    else out.push([p, p]);
  }
  return out;
}
