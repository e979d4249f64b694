import { describe, expect, it } from 'vitest';
import { isKitError } from '../errors.js';
import { parseStorageSpec } from './parse-storage.js';

describe('parseStorageSpec', () => {
  it.each([
    ['file:kafka-mesos.json', {}, { kind: 'file', path: 'kafka-mesos.json' }],
    ['file:/var/lib/fw/state.json', {}, { kind: 'file', path: '/var/lib/fw/state.json' }],
    ['zk:/kafka-mesos', { zk: 'master:2181' }, { kind: 'zk', hosts: 'master:2181', chroot: '', auth: undefined, path: '/kafka-mesos' }],
    ['zk:/kafka-mesos', { zk: 'h1:2181,h2/chroot' }, { kind: 'zk', hosts: 'h1:2181,h2:2181', chroot: '/chroot', auth: undefined, path: '/kafka-mesos' }],
    ['zk:/a/b', { zk: 'zk://bob:s3cret@h1:2182' }, { kind: 'zk', hosts: 'h1:2182', chroot: '', auth: { user: 'bob', password: 's3cret' }, path: '/a/b' }],
    [
      'zk://user:p%40ss@h1:2181,h2:2181/chroot/kafka',
      {},
      { kind: 'zk', hosts: 'h1:2181,h2:2181', chroot: '', auth: { user: 'user', password: 'p@ss' }, path: '/chroot/kafka' },
    ],
  ])('%s %j', (text, options, spec) => {
    expect(parseStorageSpec(text, options)).toEqual(spec);
  });

  it.each([
    ['', {}, 'use file:<path>.json or zk:/<node>'],
    ['kafka-mesos.json', {}, 'use file:'],
    ['file:', {}, 'needs a path'],
    ['zk:/kafka-mesos', {}, 'needs a ZooKeeper address'],
    ['zk:kafka', { zk: 'h:2181' }, 'invalid ZooKeeper path'],
    ['zk:/a//b', { zk: 'h:2181' }, 'invalid ZooKeeper path'],
    ['zk:/zookeeper', { zk: 'h:2181' }, 'invalid ZooKeeper path'],
    ['zk://h1:2181', {}, 'name the node'],
    ['zk://h1:99x/x', {}, 'is not host:port'],
    ['zk://bob@h1/x', {}, "credentials must be 'user:password@'"],
    ['zk:/x', { zk: '/chroot' }, 'no host'],
  ])('rejects %j %j', (text, options, why) => {
    try {
      parseStorageSpec(text, options);
      expect.unreachable();
    } catch (e) {
      expect(isKitError(e, 'INVALID_STORAGE')).toBe(true);
      expect((e as Error).message).toContain(why);
    }
  });
});
