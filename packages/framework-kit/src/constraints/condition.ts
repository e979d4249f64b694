// One kafka-mesos placement condition and how it judges a candidate value against the values of its peers:
//   like:REGEX     value matches REGEX (whole value)      unlike:REGEX   value does not match REGEX
//   unique         no peer has this value                 cluster        every member has the same value
//   cluster:V      value equals V                         groupBy        same as cluster
//   groupBy:N      members spread evenly over N distinct values
import { KitError } from '../errors.js';

export type Condition =
  | { op: 'like'; regex: string }
  | { op: 'unlike'; regex: string }
  | { op: 'unique' }
  | { op: 'cluster'; value?: string }
  | { op: 'groupBy'; groups: number };

const CONDITIONS = 'like:REGEX, unlike:REGEX, unique, cluster, cluster:VALUE, groupBy or groupBy:N';

export function parseCondition(text: string): Condition {
  const fail = (why: string): never => {
    throw new KitError('INVALID_CONSTRAINT', `invalid constraint condition '${text}': ${why}`);
  };
  const colon = text.indexOf(':');
  const op = colon < 0 ? text : text.slice(0, colon);
  const arg = colon < 0 ? undefined : text.slice(colon + 1);
  switch (op) {
    case 'like':
    case 'unlike': {
      if (arg === undefined || arg === '') return fail(`${op} needs a regular expression, e.g. ${op}:slave.*`);
      try {
        new RegExp(arg);
      } catch (e) {
        return fail(`'${arg}' is not a valid regular expression (${(e as Error).message})`);
      }
      return { op, regex: arg };
    }
    case 'unique':
      if (arg !== undefined) fail('unique takes no value');
      return { op };
    case 'cluster':
      if (arg === '') fail('cluster: needs a value, or write plain cluster');
      return arg === undefined ? { op } : { op, value: arg };
    case 'groupBy': {
      if (arg === undefined) return { op, groups: 1 };
      if (!/^[1-9]\d*$/.test(arg)) return fail(`groupBy:${arg} needs a positive group count, e.g. groupBy:3`);
      return { op, groups: Number(arg) };
    }
    default:
      return fail(`unknown condition '${op}'; use one of ${CONDITIONS}`);
  }
}

export function formatCondition(c: Condition): string {
  switch (c.op) {
    case 'like':
    case 'unlike':
      return `${c.op}:${c.regex}`;
    case 'unique':
      return 'unique';
    case 'cluster':
      return c.value === undefined ? 'cluster' : `cluster:${c.value}`;
    case 'groupBy':
      return c.groups === 1 ? 'groupBy' : `groupBy:${c.groups}`;
  }
}

/** Whether a member may be placed where the attribute has `value`, given the values of its placed peers. */
export function conditionMatches(c: Condition, value: string, peers: readonly string[]): boolean {
  switch (c.op) {
    case 'like':
      return fullMatch(c.regex, value);
    case 'unlike':
      return !fullMatch(c.regex, value);
    case 'unique':
      return !peers.includes(value);
    case 'cluster':
      if (c.value !== undefined) return value === c.value;
      return peers.length === 0 || peers[0] === value;
    case 'groupBy':
      return groupByMatches(c.groups, value, peers);
  }
}

// While fewer than `groups` distinct values are in use, only a new value is allowed (spread out first);
// after that, only a value whose group is currently among the smallest (keep the groups balanced).
function groupByMatches(groups: number, value: string, peers: readonly string[]): boolean {
  const counts = new Map<string, number>();
  for (const p of peers) counts.set(p, (counts.get(p) ?? 0) + 1);
  if (counts.size < groups) return !counts.has(value);
  const smallest = Math.min(...counts.values());
  return counts.get(value) === smallest;
}

function fullMatch(regex: string, value: string): boolean {
  return new RegExp(`^(?:${regex})$`, 's').test(value);
}
