import { describe, expect, it } from 'vitest';
import { parseApp } from './app.js';
import { MarathonError } from './errors.js';

const V = '2026-01-01T00:00:00.000Z';

function details(body: unknown): Array<{ path: string; errors: string[] }> {
  try {
    parseApp(body, V);
  } catch (e) {
    expect(e).toBeInstanceOf(MarathonError);
    expect((e as MarathonError).status).toBe(422);
    return (e as MarathonError).details ?? [];
  }
  throw new Error('expected a 422');
}

describe('parseApp', () => {
  it('applies Marathon defaults and normalises the id', () => {
    const app = parseApp({ id: 'grp/app', cmd: 'sleep 1' }, V);
    expect(app).toMatchObject({ id: '/grp/app', cpus: 1, mem: 128, disk: 0, instances: 1, backoffSeconds: 1, backoffFactor: 1.15, maxLaunchDelaySeconds: 3600, killSelection: 'YOUNGEST_FIRST', version: V });
    expect(app.portDefinitions).toEqual([{ port: 0, protocol: 'tcp' }]);
  });

  it('accepts numeric strings as numbers (Marathon PUT examples)', () => {
    expect(parseApp({ id: '/a', cmd: 'x', cpus: '0.3', instances: '2', mem: '9' }, V)).toMatchObject({ cpus: 0.3, instances: 2, mem: 9 });
  });

  it('keeps unspecified fields of the base on update and takes the id from the path', () => {
    const base = parseApp({ id: '/a', cmd: 'x', mem: 64, env: { A: '1' } }, V);
    expect(parseApp({ instances: 3 }, 'v2', base, 'a')).toMatchObject({ id: '/a', cmd: 'x', mem: 64, env: { A: '1' }, instances: 3, version: 'v2' });
  });

  it('maps legacy ports and uris', () => {
    const app = parseApp({ id: '/a', cmd: 'x', ports: [0, 8080], uris: ['http://h/f.tgz'] }, V);
    expect(app.portDefinitions.map((p) => p.port)).toEqual([0, 8080]);
    expect(app.fetch).toEqual([{ uri: 'http://h/f.tgz', extract: true, executable: false, cache: false }]);
  });

  it.each([
    ['unknown field', { id: '/a', cmd: 'x', instancez: 1 }, '/instancez'],
    ['negative instances', { id: '/a', cmd: 'x', instances: -1 }, '/instances'],
    ['fractional instances', { id: '/a', cmd: 'x', instances: 1.5 }, '/instances'],
    ['non-numeric cpus', { id: '/a', cmd: 'x', cpus: 'lots' }, '/cpus'],
    ['no cmd, args or container', { id: '/a' }, '/'],
    ['both cmd and args', { id: '/a', cmd: 'x', args: ['y'] }, '/'],
    ['bad id', { id: '/Bad!', cmd: 'x' }, '/id'],
    ['missing id', { cmd: 'x' }, '/id'],
    ['unknown constraint operator', { id: '/a', cmd: 'x', constraints: [['hostname', 'NEAR']] }, '/constraints(0)'],
    ['MAX_PER without a number', { id: '/a', cmd: 'x', constraints: [['rack', 'MAX_PER']] }, '/constraints(0)'],
    ['bad regex', { id: '/a', cmd: 'x', constraints: [['rack', 'LIKE', '(']] }, '/constraints(0)'],
    ['bad health protocol', { id: '/a', cmd: 'x', healthChecks: [{ protocol: 'UDP' }] }, '/healthChecks(0)/protocol'],
    ['docker without image', { id: '/a', container: { type: 'DOCKER', docker: {} } }, '/container/docker/image'],
    ['bad upgrade strategy', { id: '/a', cmd: 'x', upgradeStrategy: { minimumHealthCapacity: 2 } }, '/upgradeStrategy/minimumHealthCapacity'],
  ])('%s is a 422 detail at its path', (_what, body, path) => {
    expect(details(body).map((d) => d.path)).toContain(path);
  });

  it('collects every problem, not only the first', () => {
    expect(details({ id: '/a', cmd: 'x', cpus: -1, mem: 'no', bogus: true }).map((d) => d.path).sort()).toEqual(['/bogus', '/cpus', '/mem']);
  });

  it('accepts a DOCKER app without cmd and echoes of read-only fields', () => {
    const app = parseApp({ id: '/d', container: { type: 'DOCKER', docker: { image: 'nginx' } }, version: 'x', tasksRunning: 3, deployments: [] }, V);
    expect(app.container?.type).toBe('DOCKER');
    expect(app.version).toBe(V);
  });
});
