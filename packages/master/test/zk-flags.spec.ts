// The --zk family of flags: the registry default follows --zk, --quorum is required with the ZooKeeper
// registry, bad URLs and durations are refused with a message naming the flag, and the password never shows.
import { describe, expect, it } from 'vitest';
import { parseFlags, type MasterFlags } from '../src/flags.js';

function flags(argv: string[]): MasterFlags {
  const r = parseFlags(argv, {});
  if (r.help) throw new Error('unexpected --help');
  return r.flags;
}

const ZK = '--zk=zk://127.0.0.1:2181,127.0.0.2:2181/mesos';

describe('master --zk flags', () => {
  it.each<[string, string[], Partial<MasterFlags>]>([
    ['zk registry by default with --zk', [ZK, '--quorum=2'], { registry: 'zk', quorum: 2, zkSessionTimeoutMs: 10_000, zk: 'zk://127.0.0.1:2181,127.0.0.2:2181/mesos' }],
    ['replicated_log means zk with --zk', [ZK, '--quorum=1', '--registry=replicated_log'], { registry: 'zk' }],
    ['replicated_log means file without --zk', ['--registry=replicated_log', '--work_dir=/tmp/w'], { registry: 'file', zk: undefined }],
    ['file registry without --zk by default', ['--work_dir=/tmp/w'], { registry: 'file' }],
    ['in-memory registry with --zk needs no quorum', [ZK, '--registry=in_memory'], { registry: 'in_memory', quorum: undefined }],
    ['session timeout', [ZK, '--quorum=2', '--zk_session_timeout=2secs'], { zkSessionTimeoutMs: 2_000 }],
  ])('%s', (_name, argv, expected) => {
    expect(flags(argv)).toMatchObject(expected);
  });

  it.each<[string[], RegExp]>([
    [[ZK], /'--quorum' is required with --zk and --registry=zk/],
    [[ZK, '--quorum=0'], /'--quorum' must be at least 1/],
    [[ZK, '--quorum=two'], /'--quorum' must be a non-negative integer/],
    [['--zk=127.0.0.1:2181/mesos', '--quorum=1'], /flag '--zk': /],
    [['--zk=zk://127.0.0.1:2181', '--quorum=1'], /flag '--zk': /],
    [[ZK, '--quorum=1', '--zk_session_timeout=0secs'], /'--zk_session_timeout' must be positive/],
    [[ZK, '--quorum=1', '--zk_session_timeout=soon'], /zk_session_timeout/],
    [['--registry=zk'], /'--registry=zk' needs --zk/],
    [[ZK, '--registry=etcd'], /'--registry' must be 'zk', 'file' or 'in_memory'/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseFlags(argv, {})).toThrow(message);
  });

  it('shows the effective registry and hides the ZooKeeper password in the raw flags', () => {
    const f = flags(['--zk=zk://jane:s3cret@127.0.0.1:2181/mesos', '--quorum=2']);
    expect(f.zk).toBe('zk://jane:s3cret@127.0.0.1:2181/mesos');
    expect(f.raw.get('zk')).toBe('zk://jane:********@127.0.0.1:2181/mesos');
    expect(f.raw.get('registry')).toBe('zk');
    expect(flags(['--registry=in_memory']).raw.get('registry')).toBe('in_memory');
  });
});
