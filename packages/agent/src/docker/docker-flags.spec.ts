// The docker containerizer's agent flags: --containerizers (order kept), --docker, --docker_stop_timeout,
// --docker_remove_delay, with MESOS_* env vars and clear errors.
import { describe, expect, it } from 'vitest';
import { FlagsError, parseFlags } from '../flags.js';

const noFile = (): string => {
  throw new Error('no such file');
};

describe('docker flags', () => {
  it.each([
    { argv: [], env: {}, want: { containerizers: ['mesos'], docker: 'docker', docker_stop_timeout_ms: 0, docker_remove_delay_ms: 6 * 3_600_000 } },
    { argv: ['--containerizers=docker, mesos', '--docker=/usr/bin/docker', '--docker_stop_timeout=10secs', '--docker_remove_delay=1mins'], env: {}, want: { containerizers: ['docker', 'mesos'], docker: '/usr/bin/docker', docker_stop_timeout_ms: 10_000, docker_remove_delay_ms: 60_000 } },
    { argv: [], env: { MESOS_CONTAINERIZERS: 'mesos,docker', MESOS_DOCKER_REMOVE_DELAY: '0secs' }, want: { containerizers: ['mesos', 'docker'], docker_remove_delay_ms: 0 } },
  ])('parses $argv $env', ({ argv, env, want }) => {
    expect(parseFlags(['--master=m:5050', ...argv], env, noFile)).toMatchObject(want);
  });

  it.each([
    { flag: '--containerizers=mesos,rkt', want: /--containerizers must list mesos and\/or docker.*got 'mesos,rkt'/ },
    { flag: '--containerizers=,', want: /--containerizers must list mesos and\/or docker/ },
    { flag: '--docker_stop_timeout=soon', want: /--docker_stop_timeout/ },
  ])('rejects $flag', ({ flag, want }) => {
    expect(() => parseFlags(['--master=m:5050', flag], {}, noFile)).toThrow(FlagsError);
    expect(() => parseFlags(['--master=m:5050', flag], {}, noFile)).toThrow(want);
  });
});
