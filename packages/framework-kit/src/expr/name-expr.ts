// kafka-mesos topic expressions: `t0`, `t0,t1`, `*` (every existing name), `t*` (existing names starting
// with t; `*` is a wildcard anywhere in a part). Names without `*` are returned as given (`topic add` creates).
import { invalid } from './attribute-filter.js';
import { matchesWildcard } from './wildcard.js';

/** The names an expression stands for, in order of first mention, without duplicates. */
export function expandNames(expr: string, existing: readonly string[] = []): string[] {
  if (expr.trim() === '') throw invalid(expr, 'it is empty; write e.g. t0, t0,t1, t* or *');
  const out = new Set<string>();
  for (const raw of expr.split(',')) {
    const part = raw.trim();
    if (part === '') throw invalid(expr, 'it has an empty name between commas');
    if (part.includes('*')) {
      for (const name of [...existing].sort()) if (matchesWildcard(part, name)) out.add(name);
    } else out.add(part);
  }
  return [...out];
}
