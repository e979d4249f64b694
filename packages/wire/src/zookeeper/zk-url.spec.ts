import { describe, expect, it } from 'vitest';
import { formatZkUrl, parseZkUrl, validateZkPath } from './zk-url.js';
import { isZooKeeperError } from './zk-error.js';

describe('parseZkUrl', () => {
  it.each([
    ['zk://h1:2181,h2:2181/mesos', { servers: 'h1:2181,h2:2181', path: '/mesos', auth: undefined }],
    ['zk://user:pass@h1:2181,h2/mesos', { servers: 'h1:2181,h2:2181', path: '/mesos', auth: { user: 'user', password: 'pass' } }],
    ['zk://127.0.0.1:41234/a/b/', { servers: '127.0.0.1:41234', path: '/a/b', auth: undefined }],
    ['  zk://u%40x:p%3Aw@[::1]:2181/mesos ', { servers: '[::1]:2181', path: '/mesos', auth: { user: 'u@x', password: 'p:w' } }],
  ])('%s', (text, expected) => {
    expect(parseZkUrl(text)).toEqual(expected);
  });

  it.each([
    ['h1:2181/mesos', "must start with 'zk://'"],
    ['zk://h1:2181', 'node path is missing'],
    ['zk://h1:2181/', "'/' is not supported"],
    ['zk:///mesos', 'no server'],
    ['zk://user@h1/mesos', 'user:password@'],
    ['zk://h1:99999/mesos', "'h1:99999' is not host:port"],
    ['zk://h1/zookeeper/x', 'not under /zookeeper'],
    ['zk://h1/a//b', 'no empty'],
  ])('rejects %s', (text, why) => {
    let caught: unknown;
    try {
      parseZkUrl(text);
    } catch (e) {
      caught = e;
    }
    expect(isZooKeeperError(caught, 'INVALID_ZK_URL')).toBe(true);
    expect((caught as Error).message).toContain(why);
  });

  it('hides the password when formatted', () => {
    expect(formatZkUrl(parseZkUrl('zk://u:secret@h:1/m'))).toBe('zk://u:***@h:1/m');
  });

  it('validates node paths', () => {
    expect(() => validateZkPath('/mesos/registry')).not.toThrow();
    expect(() => validateZkPath('mesos')).toThrow(/absolute path/);
    expect(() => validateZkPath('/a/../b')).toThrow(/absolute path/);
  });
});
