// spark.mesos.constraints / spark.mesos.driver.constraints, pure: `attr:v1,v2;attr2:v;attr3` — every attribute
// must be on the offer; with values, a text attribute must equal one of them, a scalar must be at least the
// value (Spark's "less than or equal" rule), a range must contain it, a set must hold them all.
import type { v1 } from '@mesos-ts/proto';

export type SparkConstraints = ReadonlyArray<{ name: string; values: string[] }>;

export function parseSparkConstraints(text: string | undefined): SparkConstraints {
  if (text === undefined || text.trim() === '') return [];
  return text.split(';').map((part) => part.trim()).filter((p) => p !== '').map((part) => {
    const colon = part.indexOf(':');
    if (colon < 0) return { name: part, values: [] };
    return { name: part.slice(0, colon).trim(), values: part.slice(colon + 1).split(',').map((v) => v.trim()).filter((v) => v !== '') };
  });
}

function attributeMatches(a: v1.Attribute, values: string[]): boolean {
  if (values.length === 0) return true;
  switch (a.type) {
    case 'SCALAR':
      return values.some((v) => Number(v) <= (a.scalar?.value ?? Number.NEGATIVE_INFINITY));
    case 'RANGES':
      return values.every((v) => (a.ranges?.range ?? []).some((r) => Number(v) >= Number(r.begin) && Number(v) <= Number(r.end)));
    case 'SET':
      return values.every((v) => (a.set?.item ?? []).includes(v));
    default:
      return values.includes(a.text?.value ?? '');
  }
}

/** Undefined when the offer's attributes satisfy every constraint, else why not. */
export function unmetConstraint(attributes: readonly v1.Attribute[] | undefined, constraints: SparkConstraints): string | undefined {
  for (const c of constraints) {
    const a = (attributes ?? []).find((x) => x.name === c.name);
    if (a === undefined) return `no attribute ${c.name}`;
    if (!attributeMatches(a, c.values)) return `attribute ${c.name} does not match ${c.values.join(',')}`;
  }
  return undefined;
}
