// Marathon placement constraints, checked for one candidate offer against the app's tasks already placed.
// `hostname` is the offer's hostname; any other field is an agent attribute (text, scalar or set). Pure.
import type { Constraint } from './app.js';

/** Field values of an offer: hostname plus its attributes as text. */
export type OfferFields = Record<string, string>;

export interface Placed {
  fields: OfferFields;
}

/**
 * Why the offer breaks a constraint, or undefined when all hold. `known` holds the agents offered now: a
 * GROUP_BY value seen there with no task yet counts as an empty group (Marathon learns values from offers).
 */
export function constraintViolation(constraints: readonly Constraint[], offer: OfferFields, placed: readonly Placed[], known: readonly OfferFields[] = []): string | undefined {
  for (const [field, op, value] of constraints) {
    const mine = offer[field];
    const others = placed.map((p) => p.fields[field]);
    const text = `${field}:${op}${value === undefined ? '' : `:${value}`}`;
    switch (op) {
      case 'UNIQUE':
        if (mine === undefined || others.includes(mine)) return `${text}: ${field}=${mine ?? '(none)'} already holds a task`;
        break;
      case 'CLUSTER':
        if (mine === undefined) return `${text}: the agent has no ${field}`;
        if (value !== undefined && value !== '' && mine !== value) return `${text}: ${field}=${mine}`;
        if ((value === undefined || value === '') && others.length > 0 && others[0] !== mine) return `${text}: tasks run on ${field}=${others[0]}`;
        break;
      case 'LIKE':
        if (mine === undefined || !new RegExp(`^(${value})$`).test(mine)) return `${text}: ${field}=${mine ?? '(none)'}`;
        break;
      case 'UNLIKE':
        if (mine !== undefined && new RegExp(`^(${value})$`).test(mine)) return `${text}: ${field}=${mine}`;
        break;
      case 'MAX_PER':
        if (mine === undefined || others.filter((o) => o === mine).length >= Number(value)) return `${text}: ${field}=${mine ?? '(none)'} is full`;
        break;
      case 'GROUP_BY': {
        // Spread evenly: only place on a value holding no more tasks than the least used value seen.
        if (mine === undefined) return `${text}: the agent has no ${field}`;
        const counts = new Map<string, number>();
        for (const k of known) if (k[field] !== undefined) counts.set(k[field], 0);
        for (const o of others) if (o !== undefined) counts.set(o, (counts.get(o) ?? 0) + 1);
        const groups = Number(value ?? 0);
        const used = [...counts.values()].filter((n) => n > 0).length;
        if (groups > 0 && used < groups && (counts.get(mine) ?? 0) > 0) return `${text}: ${field}=${mine} already used while fewer than ${groups} groups are`;
        const min = counts.size === 0 ? 0 : Math.min(...counts.values());
        if ((counts.get(mine) ?? 0) > min) return `${text}: ${field}=${mine} holds more tasks than others`;
        break;
      }
    }
  }
  return undefined;
}

/** Constraints no offer could ever satisfy for `instances` tasks, given every agent's fields (for 422). */
export function impossible(constraints: readonly Constraint[], instances: number, agents: readonly OfferFields[]): string | undefined {
  if (agents.length === 0) return undefined;
  for (const [field, op, value] of constraints) {
    const values = agents.map((a) => a[field]).filter((v): v is string => v !== undefined);
    const distinct = new Set(values).size;
    if (op === 'UNIQUE' && distinct < instances) return `hostname UNIQUE-style constraint on ${field}: ${instances} instances need ${instances} distinct values, the cluster has ${distinct}`;
    if (op === 'LIKE' && !values.some((v) => new RegExp(`^(${value})$`).test(v))) return `no agent has ${field} matching '${value}'`;
    if (op === 'CLUSTER' && value !== undefined && value !== '' && !values.includes(value)) return `no agent has ${field}=${value}`;
    if (op === 'MAX_PER' && distinct * Number(value) < instances) return `MAX_PER ${value} on ${field}: at most ${distinct * Number(value)} of ${instances} instances fit`;
  }
  return undefined;
}
