// The `[k=v,k=v]` suffix of id expressions: every pair must hold (AND). Keys are the attributes of the node a
// member runs on, `hostname` included; values may use `*` wildcards (`hostname=slave*`).
import { KitError } from '../errors.js';
import { matchesWildcard } from './wildcard.js';

export interface AttributeFilter {
  key: string;
  /** Wildcard pattern, see matchesWildcard. */
  pattern: string;
}

/** Parses the text between the brackets: `rack=r1,dc=dc1`. `expr` is the whole expression, for messages. */
export function parseAttributeFilter(body: string, expr: string): AttributeFilter[] {
  if (body.trim() === '') throw invalid(expr, 'the attribute filter [] is empty; write e.g. [rack=r1]');
  return body.split(',').map((pair) => {
    const eq = pair.indexOf('=');
    const key = eq < 0 ? '' : pair.slice(0, eq).trim();
    const pattern = eq < 0 ? '' : pair.slice(eq + 1).trim();
    if (key === '' || pattern === '') throw invalid(expr, `attribute filter '${pair.trim()}' must be key=value, e.g. rack=r1 or hostname=slave*`);
    return { key, pattern };
  });
}

/** True when every filter matches; a member with unknown attributes (no node yet) never matches. */
export function matchesAttributeFilter(filter: readonly AttributeFilter[], attributes: Readonly<Record<string, string>> | undefined): boolean {
  if (filter.length === 0) return true;
  if (attributes === undefined) return false;
  return filter.every(({ key, pattern }) => {
    const actual = attributes[key];
    return actual !== undefined && matchesWildcard(pattern, actual);
  });
}

export function invalid(expr: string, why: string): KitError {
  return new KitError('INVALID_EXPRESSION', `invalid expression '${expr}': ${why}`);
}
