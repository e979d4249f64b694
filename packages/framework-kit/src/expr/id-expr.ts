// kafka-mesos broker expressions: `0`, `0,1`, `0..2`, `0,1..2`, `*`, each optionally followed by an attribute
// filter `[rack=r1,dc=dc1]`. Grammar: expr := part ("," part)* filter?; part := id | id ".." id | "*".
// Ids are non-negative integers; ranges are inclusive.
import { invalid, matchesAttributeFilter, parseAttributeFilter, type AttributeFilter } from './attribute-filter.js';

export type IdPart = { kind: 'id'; id: number } | { kind: 'range'; from: number; to: number } | { kind: 'all' };

export interface IdExpr {
  parts: IdPart[];
  filter: AttributeFilter[];
}

/** Largest number of ids one expression may name; guards against `0..999999999` eating memory. */
export const MAX_EXPANDED_IDS = 100_000;

const ID = /^\d+$/;

export function parseIdExpr(text: string): IdExpr {
  const expr = text.trim();
  if (expr === '') throw invalid(text, 'it is empty; write e.g. 0, 0,1, 0..2 or *');
  let list = expr;
  let filter: AttributeFilter[] = [];
  const open = expr.indexOf('[');
  if (open >= 0) {
    if (!expr.endsWith(']')) throw invalid(text, "the attribute filter must end with ']', e.g. *[rack=r1]");
    list = expr.slice(0, open);
    filter = parseAttributeFilter(expr.slice(open + 1, -1), text);
  }
  const parts = list.split(',').map((raw): IdPart => {
    const part = raw.trim();
    if (part === '*') return { kind: 'all' };
    const dots = part.indexOf('..');
    if (dots < 0) return { kind: 'id', id: parseId(part, text) };
    const from = parseId(part.slice(0, dots).trim(), text);
    const to = parseId(part.slice(dots + 2).trim(), text);
    if (from > to) throw invalid(text, `range ${part} runs backwards; write ${to}..${from}`);
    return { kind: 'range', from, to };
  });
  return { parts, filter };
}

export interface ExpandIdsOptions {
  /** Ids that exist now; `*` stands for all of them. */
  existing?: readonly number[];
  /** Attributes of the node a member runs on (hostname included); undefined when it runs nowhere. */
  attributes?: (id: number) => Readonly<Record<string, string>> | undefined;
}

/**
 * The ids an expression names, ascending and without duplicates. Explicit ids are returned whether they
 * exist or not (`broker add 0..2` creates them); a filter keeps only members whose node matches.
 */
export function expandIds(expr: string | IdExpr, options: ExpandIdsOptions = {}): number[] {
  const parsed = typeof expr === 'string' ? parseIdExpr(expr) : expr;
  const ids = new Set<number>();
  for (const part of parsed.parts) {
    if (part.kind === 'all') for (const id of options.existing ?? []) ids.add(id);
    else if (part.kind === 'id') ids.add(part.id);
    else {
      if (part.to - part.from + 1 > MAX_EXPANDED_IDS) {
        throw invalid(typeof expr === 'string' ? expr : `${part.from}..${part.to}`, `range ${part.from}..${part.to} names more than ${MAX_EXPANDED_IDS} ids`);
      }
      for (let id = part.from; id <= part.to; id++) ids.add(id);
    }
  }
  const sorted = [...ids].sort((a, b) => a - b);
  if (parsed.filter.length === 0) return sorted;
  return sorted.filter((id) => matchesAttributeFilter(parsed.filter, options.attributes?.(id)));
}

function parseId(text: string, expr: string): number {
  if (!ID.test(text)) throw invalid(expr, `'${text}' is not an id; ids are non-negative integers (0, 1, 2 …), ranges a..b, or *`);
  const id = Number(text);
  if (!Number.isSafeInteger(id)) throw invalid(expr, `id ${text} is too large`);
  return id;
}
