// Scalar quantities as dense vectors of integer milli-units (Mesos' fixed point: 3 decimal places), indexed by
// resource name through a KindIndex. Integers keep sums exact: no float drift after many add/subtract rounds.
// Vectors grow as new names appear; a missing slot means 0.

export type ScalarVector = number[];

/** Converts a quantity (e.g. 0.5 cpus) to integer milli-units (500). */
export function toMilli(value: number): number {
  return Math.round(value * 1000);
}

/** Assigns a stable dense index to every scalar resource name seen. */
export class KindIndex {
  private readonly ids = new Map<string, number>();
  readonly names: string[] = [];

  indexOf(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** Index of a name already seen, or undefined (does not register it). */
  find(name: string): number | undefined {
    return this.ids.get(name);
  }

  get size(): number {
    return this.names.length;
  }

  /** Adds `milli` of `name` to `vec` in place (growing it to that name's slot). */
  addTo(vec: ScalarVector, name: string, milli: number): void {
    const id = this.indexOf(name);
    while (vec.length <= id) vec.push(0);
    vec[id] = (vec[id] as number) + milli;
  }

  /** Builds a vector from a name→quantity map (quantities in natural units). */
  vector(scalars: ReadonlyMap<string, number> | Readonly<Record<string, number>>): ScalarVector {
    const out: ScalarVector = [];
    const entries = scalars instanceof Map ? scalars.entries() : Object.entries(scalars);
    for (const [name, value] of entries) this.addTo(out, name, toMilli(value));
    return out;
  }

  /** Back to a name→quantity map, dropping zeros. */
  toMap(vec: ScalarVector): Map<string, number> {
    const out = new Map<string, number>();
    vec.forEach((v, i) => {
      if (v !== 0) out.set(this.names[i] as string, v / 1000);
    });
    return out;
  }
}

/** a += b (in place). */
export function addInto(a: ScalarVector, b: ScalarVector): void {
  for (let i = 0; i < b.length; i++) {
    if (i >= a.length) a.push(0);
    a[i] = (a[i] as number) + (b[i] as number);
  }
}

/** a -= b (in place). */
export function subtractInto(a: ScalarVector, b: ScalarVector): void {
  for (let i = 0; i < b.length; i++) {
    if (i >= a.length) a.push(0);
    a[i] = (a[i] as number) - (b[i] as number);
  }
}

/** True when every slot of a is <= the same slot of b. */
export function lessOrEqual(a: ScalarVector, b: ScalarVector): boolean {
  for (let i = 0; i < a.length; i++) {
    if ((a[i] as number) > (b[i] ?? 0)) return false;
  }
  return true;
}

export function isZero(a: ScalarVector): boolean {
  for (const v of a) if (v !== 0) return false;
  return true;
}
