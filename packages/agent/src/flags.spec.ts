import { describe, expect, it } from 'vitest';
import { FlagsError, helpText, parseBytes, parseFlags } from './flags.js';

const noFile = (): string => {
  throw new Error('no such file');
};

describe('parseFlags', () => {
  it('applies defaults', () => {
    const f = parseFlags(['--master=127.0.0.1:5050'], {}, noFile);
    expect(f).toMatchObject({ port: 5051, work_dir: '/tmp/mesos', recover: 'reconnect', executor_shutdown_grace_period_ms: 5000, executor_registration_timeout_ms: 60_000, recovery_timeout_ms: 900_000, gc_delay_ms: 7 * 86_400_000, default_role: '*', isolation: 'posix/cpu,posix/mem', fetcher_cache_size_bytes: 2 * 1024 ** 3 });
    expect(f.resources).toBeUndefined();
  });

  it('takes MESOS_* env vars, with the command line winning, and file:// values', () => {
    const files: Record<string, string> = { '/etc/res': 'cpus:2;mem:512\n' };
    const f = parseFlags(['--port=6000', '--resources=file:///etc/res'], { MESOS_MASTER: 'm:5050', MESOS_PORT: '7000', MESOS_WORK_DIR: '/w' }, (p) => files[p]!);
    expect(f).toMatchObject({ master: 'm:5050', port: 6000, work_dir: '/w', resources: 'cpus:2;mem:512' });
    expect(f.raw.resources).toBe('cpus:2;mem:512');
  });

  it.each([
    [[], 'missing required flag --master'],
    [['--master=m:1', '--bogus=1'], "unknown flag '--bogus'"],
    [['--master=m:1', 'stray'], "unexpected argument 'stray'"],
    [['--master=m:1', '--port=70000'], '--port must be an integer'],
    [['--master=m:1', '--recover=maybe'], "--recover must be 'reconnect' or 'cleanup'"],
    [['--master=m:1', '--gc_delay=5 days'], '--gc_delay: invalid duration'],
    [['--master=m:1', '--fetcher_cache_size=lots'], '--fetcher_cache_size must be a size'],
    [['--master=m:1', '--resources=file:///missing'], '--resources: cannot read /missing'],
    [['--master=m:1', '--isolation=cgroups/devices,posix/mem'], '--isolation: cgroups/devices not available'],
    [['--master=m:1', '--cgroups_root=../escape'], '--cgroups_root must be a relative cgroup path'],
    [['--master=m:1', '--cgroups_root=/abs'], '--cgroups_root must be a relative cgroup path'],
    [['--master=m:1', '--cgroups_enable_cfs=maybe'], '--cgroups_enable_cfs must be true or false'],
    [['--master=m:1', '--nvidia_gpu_devices=0,x'], '--nvidia_gpu_devices must be comma-separated device indices'],
    [['--master=m:1', '--nvidia_gpu_devices=1,1'], '--nvidia_gpu_devices lists a device twice'],
    [['--master=m:1', '--command_executor=thread'], "--command_executor must be 'process' or 'inline'"],
  ])('rejects %j', (argv, message) => {
    expect(() => parseFlags(argv, {}, noFile)).toThrow(FlagsError);
    expect(() => parseFlags(argv, {}, noFile)).toThrow(message);
  });

  it('takes cgroups isolators mixed with posix ones, and the cgroups and GPU flags', () => {
    const f = parseFlags(['--master=m:1', '--isolation=posix/cpu, cgroups/mem,cgroups/cpu,filesystem/linux', '--cgroups_root=mesos/test', '--cgroups_enable_cfs=true', '--nvidia_gpu_devices=0,3'], {}, noFile);
    expect(f).toMatchObject({ isolators: ['posix/cpu', 'cgroups/mem', 'cgroups/cpu', 'filesystem/linux'], cgroups_root: 'mesos/test', cgroups_enable_cfs: true, nvidia_gpu_devices: [0, 3] });
    expect(parseFlags(['--master=m:1'], {}, noFile)).toMatchObject({ cgroups_root: 'mesos', cgroups_enable_cfs: false, nvidia_gpu_devices: undefined });
  });

  it('documents every flag with its default in --help', () => {
    const text = helpText();
    for (const name of ['master', 'port', 'work_dir', 'resources', 'recover', 'gc_delay', 'fetcher_cache_dir']) expect(text).toContain(`--${name}=`);
    expect(text).toContain('(default: 5051)');
  });

  it.each([
    ['512MB', 512 * 1024 ** 2],
    ['2GB', 2 * 1024 ** 3],
    ['10B', 10],
  ])('parses byte sizes %s', (text, bytes) => expect(parseBytes('x', text)).toBe(bytes));
});

describe('security flags: honoured, and what cannot be honoured stops the agent (fail closed)', () => {
  it.each<[string, string[], Record<string, string>, RegExp]>([
    ['LIBPROCESS_SSL_ENABLED=true without a certificate', ['--master=m:1'], { LIBPROCESS_SSL_ENABLED: 'true' }, /needs LIBPROCESS_SSL_CERT_FILE/],
    ['an unreadable --credential', ['--master=m:1', '--credential=/etc/mesos/agent-credential'], {}, /--credential: cannot read/],
    ['--authenticate_http_readwrite without --credentials', ['--master=m:1', '--authenticate_http_readwrite=true'], {}, /needs --credentials/],
    ['--authenticate_http_executors=false', ['--master=m:1', '--authenticate_http_executors=false'], {}, /always authenticate/],
    ['malformed --acls', ['--master=m:1', '--acls={"permissive":1}'], {}, /'permissive' must be true or false/],
  ])('%s', (_n, argv, env, message) => {
    expect(() => parseFlags(argv, env, noFile)).toThrow(message);
  });

  it('reads --credential and --credentials (with or without file://) and shows only their paths', () => {
    const files: Record<string, string> = { '/c/agent': 'agent1 agentsecret\n', '/c/ops': '{"credentials":[{"principal":"ops","secret":"opssecret"}]}' };
    const f = parseFlags(['--master=m:1', '--credential=file:///c/agent', '--credentials=/c/ops', '--authenticate_http_readonly=true'], {}, (p) => files[p]!);
    expect(f.security.masterAuthorization).toBe(`Basic ${Buffer.from('agent1:agentsecret').toString('base64')}`);
    expect(f.security.authenticator?.check('ops', 'opssecret').ok).toBe(true);
    expect(f.security.authenticateHttpReadonly).toBe(true);
    expect(f.raw.credential).toBe('/c/agent');
    expect(JSON.stringify(f.raw)).not.toMatch(/secret/);
  });
});

