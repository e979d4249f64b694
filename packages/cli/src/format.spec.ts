import { describe, expect, it } from 'vitest';
import { normalizeAddress, masterAddress } from './endpoint.js';
import { CliError } from './errors.js';
import { formatElapsed, formatMegabytes, formatScalar } from './format.js';

describe('formats', () => {
  it.each([
    [0, '0s'],
    [59.9, '59s'],
    [185, '3m05s'],
    [7620, '2h07m'],
    [273600, '3d04h'],
    [-1, '-'],
    [NaN, '-'],
  ])('elapsed %s → %s', (s, text) => expect(formatElapsed(s)).toBe(text));

  it.each([
    [0.1, '0.1'],
    [1, '1'],
    [0.30000000000000004, '0.3'],
    [undefined, '0'],
  ])('scalar %s → %s', (v, text) => expect(formatScalar(v)).toBe(text));

  it.each([
    [128, '128M'],
    [2048, '2G'],
    [1536, '1.5G'],
    [2097152, '2T'],
  ])('megabytes %s → %s', (v, text) => expect(formatMegabytes(v)).toBe(text));
});

describe('master address', () => {
  it.each([
    ['127.0.0.1:5050', '127.0.0.1:5050'],
    ['http://m1:6000/', 'm1:6000'],
    ['m1', 'm1:5050'],
    ['[::1]:5050', '[::1]:5050'],
  ])('%s → %s', (text, address) => expect(normalizeAddress(text, 5050)).toBe(address));

  it('prefers the flag, then MESOS_MASTER, then the default', () => {
    expect(masterAddress('a:1', { MESOS_MASTER: 'b:2' })).toBe('a:1');
    expect(masterAddress(undefined, { MESOS_MASTER: 'b:2' })).toBe('b:2');
    expect(masterAddress(undefined, {})).toBe('127.0.0.1:5050');
    expect(masterAddress(undefined, { MESOS_MASTER: '' })).toBe('127.0.0.1:5050');
  });

  it('keeps a zk:// master (resolved to the leader later) and refuses a malformed one', () => {
    expect(masterAddress(' zk://z1:2181,z2:2181/mesos ', {})).toBe('zk://z1:2181,z2:2181/mesos');
    expect(masterAddress(undefined, { MESOS_MASTER: 'zk://z:2181/mesos' })).toBe('zk://z:2181/mesos');
    expect(() => masterAddress('zk://z:2181', {})).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => masterAddress('zk://', {})).toThrow(/not a ZooKeeper master URL/);
  });

  it.each([
    ['zk://h:2181/mesos', 'USAGE', 'not an address here'],
    ['a b', 'USAGE', 'is not a master address'],
    ['h:70000', 'USAGE', 'port must be'],
  ])('%s is refused', (text, code, message) => {
    try {
      normalizeAddress(text, 5050);
      expect.unreachable();
    } catch (e) {
      expect((e as CliError).code).toBe(code);
      expect((e as CliError).exitCode).toBe(2);
      expect((e as CliError).message).toContain(message);
    }
  });
});
