// Mesos role names: '*' (the default, unreserved role) or a '/'-separated path of segments,
// e.g. 'eng/kafka/prod'. Hierarchy: 'a' is an ancestor of 'a/b' and 'a/b/c'.
import { ResourcesError } from './errors.js';

const WHITESPACE = /[\s]/;

/** Throws INVALID_ROLE when `role` is not a valid Mesos role name. */
export function validateRole(role: string): void {
  const fail = (why: string): never => {
    throw new ResourcesError(
      'INVALID_ROLE',
      `invalid role '${role}': ${why} (expected '*' or a path like 'eng/kafka' of segments without whitespace, '.', '..', '*' or a leading '-')`,
    );
  };
  if (role === '*') return;
  if (role.length === 0) fail('role is empty');
  if (role.startsWith('/') || role.endsWith('/')) fail("role must not start or end with '/'");
  for (const segment of role.split('/')) {
    if (segment.length === 0) fail("role has an empty segment ('//')");
    if (segment === '.' || segment === '..') fail(`segment '${segment}' is reserved`);
    if (segment.startsWith('-')) fail(`segment '${segment}' starts with '-'`);
    if (WHITESPACE.test(segment)) fail('role contains whitespace');
    if (segment.includes('*')) fail("'*' is only valid as the whole role");
  }
}

/** True when `ancestor` is a strict ancestor of `role` ('a' of 'a/b'; never of itself; '*' of nothing). */
export function isAncestorRole(ancestor: string, role: string): boolean {
  return (
    ancestor !== '*' &&
    role.length > ancestor.length &&
    role.charCodeAt(ancestor.length) === 47 /* '/' */ &&
    role.startsWith(ancestor)
  );
}
