// Wildcard patterns of kafka-mesos expressions: `*` matches any run of characters (also none), everything
// else matches itself. `slave*` = starts with "slave", `*-1` = ends with "-1", `r*k` = starts r, ends k.

/** True when `value` matches `pattern` as a whole. */
export function matchesWildcard(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  return wildcardRegExp(pattern).test(value);
}

function wildcardRegExp(pattern: string): RegExp {
  const body = pattern
    .split('*')
    .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}$`, 's');
}
