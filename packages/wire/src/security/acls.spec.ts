import { describe, expect, it } from 'vitest';
import { SecurityConfigError } from './credentials.js';
import { authorized, parseAcls } from './acls.js';

const acls = parseAcls(
  JSON.stringify({
    permissive: false,
    register_frameworks: [
      { principals: { values: ['fw'] }, roles: { values: ['web', 'batch'] } },
      { principals: { type: 'ANY' }, roles: { type: 'NONE' } },
    ],
    run_tasks: [
      { principals: { values: ['fw'] }, users: { values: ['nobody'] } },
      { principals: { type: 'NONE' }, users: { values: ['root'] } },
    ],
    teardown_frameworks: [{ principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } }],
    update_weights: [{ principals: { type: 'ANY' }, roles: { type: 'ANY' } }],
  }),
);

describe('authorized (upstream local authorizer semantics)', () => {
  it.each([
    ['register_frameworks', 'fw', 'web', true],
    ['register_frameworks', 'fw', ['web', 'batch'], true],
    ['register_frameworks', 'fw', ['web', 'other'], false],
    ['register_frameworks', 'evil', 'web', false], // second ACL: ANY principal, NONE roles
    ['register_frameworks', undefined, 'web', false],
    ['run_tasks', 'fw', 'nobody', true],
    ['run_tasks', 'fw', 'root', false], // second ACL matches (NONE subject matches any), NONE denies
    ['run_tasks', 'other', 'daemon', false], // no ACL matches: not permissive
    ['teardown_frameworks', 'ops', 'fw', true],
    ['teardown_frameworks', 'ops', undefined, true],
    ['teardown_frameworks', 'fw', 'fw', false],
    ['teardown_frameworks', undefined, 'fw', false],
    ['update_weights', undefined, 'web', true], // ANY principal allows even unauthenticated callers
    ['update_quotas', 'ops', 'web', false], // action without ACLs: permissive decides
  ] as const)('%s by %s on %s → %s', (action, principal, object, want) => {
    expect(authorized(acls, action, principal, object as string | readonly string[] | undefined)).toBe(want);
  });

  it('a permissive document allows what no ACL matches', () => {
    const p = parseAcls('{"run_tasks":[{"principals":{"values":["a"]},"users":{"type":"NONE"}}]}');
    expect(authorized(p, 'run_tasks', 'a', 'root')).toBe(false);
    expect(authorized(p, 'run_tasks', 'b', 'root')).toBe(true);
    expect(authorized(p, 'teardown_frameworks', undefined, 'x')).toBe(true);
  });

  it.each([
    ['not json', 'not valid JSON'],
    ['[]', 'expecting a JSON object'],
    ['{"permissive":"no"}', "'permissive' must be true or false"],
    ['{"launch_rockets":[]}', "unknown action 'launch_rockets'"],
    ['{"run_tasks":{}}', 'must be a list'],
    ['{"run_tasks":[{"principals":{"type":"SOME"}}]}', 'run_tasks[0].principals'],
    ['{"run_tasks":[{"users":{"values":[1]}}]}', 'must be strings'],
  ])('refuses %s', (text, message) => {
    expect(() => parseAcls(text)).toThrow(SecurityConfigError);
    expect(() => parseAcls(text)).toThrow(message);
  });
});
