// --min_allocatable_resources: an offer is worth making only if its scalars reach at least one alternative
// (every quantity of that alternative). Default `cpus:0.01|mem:32`: at least 0.01 cpus OR at least 32 MB.

import { AllocatorError, type ScalarQuantities } from './types.js';
import type { KindIndex, ScalarVector } from './scalar-vector.js';
import { toMilli } from './scalar-vector.js';

export const DEFAULT_MIN_ALLOCATABLE = 'cpus:0.01|mem:32';

/** Parses `cpus:0.01|mem:32;disk:10` (alternatives split by '|', quantities by ';'). */
export function parseMinAllocatable(text: string): ScalarQuantities[] {
  return text.split('|').map((alt) => {
    const out: Record<string, number> = {};
    for (const part of alt.split(';')) {
      const m = /^\s*([A-Za-z0-9_.-]+)\s*:\s*([0-9]+(?:\.[0-9]+)?)\s*$/.exec(part);
      if (!m) {
        throw new AllocatorError('INVALID_OPTIONS', `min allocatable resources '${text}' is invalid near '${part}'; use e.g. 'cpus:0.01|mem:32'`);
      }
      out[m[1] as string] = Number(m[2]);
    }
    return out;
  });
}

/** Alternatives compiled to (kind index, milli) lists. */
export type CompiledMinimum = readonly (readonly [number, number])[][];

export function compileMinAllocatable(alternatives: readonly ScalarQuantities[], kinds: KindIndex): CompiledMinimum {
  return alternatives.map((alt) => Object.entries(alt).map(([name, v]) => [kinds.indexOf(name), toMilli(v)] as const));
}

/** True when `offer` (scalars in milli-units) reaches at least one alternative. No alternatives → always true. */
export function isAllocatable(offer: ScalarVector, minimum: CompiledMinimum): boolean {
  if (minimum.length === 0) return true;
  return minimum.some((alt) => alt.every(([kind, milli]) => (offer[kind] ?? 0) >= milli));
}
