// Set math on canonical item lists: sorted (by code unit), without duplicates.

export type ItemList = readonly string[];

export function canonicalItems(items: readonly string[]): string[] {
  return [...new Set(items)].sort();
}

export function unionItems(a: ItemList, b: ItemList): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && a[i]! < b[j]!)) out.push(a[i++]!);
    else if (i >= a.length || b[j]! < a[i]!) out.push(b[j++]!);
    else {
      out.push(a[i++]!);
      j++;
    }
  }
  return out;
}

/** True when every item of `b` is in `a`. */
export function itemsContain(a: ItemList, b: ItemList): boolean {
  let i = 0;
  for (const item of b) {
    while (i < a.length && a[i]! < item) i++;
    if (i >= a.length || a[i] !== item) return false;
    i++;
  }
  return true;
}

export function subtractItems(a: ItemList, b: ItemList): string[] {
  const out: string[] = [];
  let j = 0;
  for (const item of a) {
    while (j < b.length && b[j]! < item) j++;
    if (j < b.length && b[j] === item) j++;
    else out.push(item);
  }
  return out;
}

export function itemsEqual(a: ItemList, b: ItemList): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Mesos' text form: '{a, b, c}'. */
export function formatItems(a: ItemList): string {
  return `{${a.join(', ')}}`;
}
