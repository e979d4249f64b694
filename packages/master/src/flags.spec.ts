import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FLAG_SPECS, parseFlags, type MasterFlags } from './flags.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function flags(argv: string[], env: NodeJS.ProcessEnv = {}): MasterFlags {
  const r = parseFlags(argv, env);
  if (r.help) throw new Error('help');
  return r.flags;
}

describe('master flags', () => {
  it('has upstream defaults', () => {
    const f = flags(['--registry=in_memory']);
    expect(f).toMatchObject({
      ip: '127.0.0.1',
      port: 5050,
      allocationIntervalMs: 1000,
      offerTimeoutMs: undefined,
      agentPingTimeoutMs: 15_000,
      maxAgentPingTimeouts: 5,
      agentReregisterTimeoutMs: 600_000,
      maxCompletedFrameworks: 50,
      maxCompletedTasksPerFramework: 1000,
      maxOperatorEventStreamSubscribers: 1000,
      minAllocatableResources: 'cpus:0.01|mem:32',
      zkSessionTimeoutMs: 10_000,
      zkLeaderProbeIntervalMs: 100,
    });
  });

  it.each<[string, string[], NodeJS.ProcessEnv, Partial<MasterFlags>]>([
    ['command line', ['--port=6060', '--offer_timeout=30secs'], {}, { port: 6060, offerTimeoutMs: 30_000 }],
    ['environment', [], { MESOS_PORT: '7070', MESOS_AGENT_PING_TIMEOUT: '2mins' }, { port: 7070, agentPingTimeoutMs: 120_000 }],
    ['command line wins over env', ['--port=1'], { MESOS_PORT: '2' }, { port: 1 }],
    ['weights and roles', ['--weights=a=2,b=0.5', '--roles=a,b'], {}, { weights: new Map([['a', 2], ['b', 0.5]]), roles: ['a', 'b'] }],
    ['removal rate', ['--agent_removal_rate_limit=1/10mins'], {}, { agentRemovalRateLimit: { permits: 1, perMs: 600_000 } }],
    ['leader probe off', ['--zk_leader_probe_interval=0secs'], {}, { zkLeaderProbeIntervalMs: 0 }],
    ['leader probe interval', ['--zk_leader_probe_interval=100ms'], {}, { zkLeaderProbeIntervalMs: 100 }],
    ['replicated_log alias', ['--registry=replicated_log', '--work_dir=/tmp/x'], {}, { registry: 'file', workDir: '/tmp/x' }],
  ])('reads %s', (_name, argv, env, expected) => {
    expect(flags(['--registry=in_memory', ...argv], env)).toMatchObject(expected);
  });

  it('reads file:// values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flags-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'cluster'), 'prod-east\n');
    expect(flags(['--registry=in_memory', `--cluster=file://${join(dir, 'cluster')}`]).cluster).toBe('prod-east');
    expect(() => flags(['--registry=in_memory', `--cluster=file://${join(dir, 'missing')}`])).toThrow(/cannot read/);
  });

  it.each<[string[], RegExp]>([
    [['--port=http'], /non-negative integer/],
    [['--port=70000'], /at most 65535/],
    [['--allocation_interval=fast'], /allocation_interval/],
    [['--bogus=1'], /unknown flag/],
    [['--registry=zk'], /needs --zk/],
    [['--registry=file'], /--work_dir' is required/],
    [['--zk=http://h:2181/mesos'], /--zk/],
    [['--agent_removal_rate_limit=fast'], /1\/10mins/],
    [['--weights=a=-1'], /positive weight/],
    [['--no-port'], /only valid for boolean/],
    [['--port'], /needs a value/],
  ])('rejects %j', (argv, message) => {
    const base = argv.some((a) => a.startsWith('--registry')) ? [] : ['--registry=in_memory'];
    expect(() => parseFlags([...base, ...argv], {})).toThrow(message);
  });

  it('--help lists every flag with its default', () => {
    const r = parseFlags(['--help']);
    expect(r.help).toBe(true);
    if (!r.help) return;
    for (const spec of FLAG_SPECS) expect(r.text).toMatch(new RegExp(`--(\\[no-\\])?${spec.name}[= ]`));
    expect(r.text).toContain('(default: 5050)');
    expect(r.text).toContain('MESOS_');
  });

  it('keeps the effective values as text for GET_FLAGS', () => {
    const f = flags(['--registry=in_memory', '--no-authenticate_frameworks']);
    expect(f.raw.get('port')).toBe('5050');
    expect(f.raw.get('authenticate_frameworks')).toBe('false');
  });
});

describe('security flags: honoured, and what cannot be honoured stops the master (fail closed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'master-flags-'));
  const creds = join(dir, 'credentials');
  writeFileSync(creds, '{"credentials":[{"principal":"ops","secret":"s3cret"}]}');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each<[string, string[], NodeJS.ProcessEnv, RegExp]>([
    ['--authenticate_frameworks without --credentials', ['--authenticate_frameworks'], {}, /needs --credentials/],
    ['--authenticate_agents=true without --credentials', ['--authenticate_agents=true'], {}, /needs --credentials/],
    ['--authenticate_http_readonly via MESOS_* without --credentials', [], { MESOS_AUTHENTICATE_HTTP_READONLY: 'true' }, /needs --credentials/],
    ['an unreadable --credentials', ['--credentials=/etc/mesos/no-such-credentials'], {}, /cannot read/],
    ['malformed --acls', ['--acls={"permissive":"no"}'], {}, /'permissive' must be true or false/],
    ['an unknown ACL action', ['--acls={"launch_rockets":[]}'], {}, /unknown action/],
    ['LIBPROCESS_SSL_ENABLED without a certificate', [], { LIBPROCESS_SSL_ENABLED: 'true' }, /needs LIBPROCESS_SSL_CERT_FILE/],
    ['LIBPROCESS_SSL_ENABLED with an unreadable key', [], { LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CERT_FILE: '/nonexistent/cert', LIBPROCESS_SSL_KEY_FILE: '/nonexistent/key' }, /cannot read/],
  ])('%s', (_n, argv, env, message) => {
    expect(() => parseFlags(['--registry=in_memory', ...argv], env)).toThrow(message);
  });

  it('turns authentication and ACLs on, and shows only the credentials path', () => {
    for (const given of [creds, `file://${creds}`]) {
      const f = flags(['--registry=in_memory', '--authenticate_frameworks', '--authenticate_http_readwrite', `--credentials=${given}`, '--acls={"permissive":false}']);
      expect(f.security.authenticateFrameworks).toBe(true);
      expect(f.security.authenticateHttpReadwrite).toBe(true);
      expect(f.security.authenticateAgents).toBe(false);
      expect(f.security.authenticator?.check('ops', 's3cret').ok).toBe(true);
      expect(f.security.acls.permissive).toBe(false);
      expect(f.raw.get('credentials')).toBe(creds);
      expect([...f.raw.values()].join(' ')).not.toContain('s3cret');
    }
  });

  it('explicitly off is fine', () => {
    const f = flags(['--registry=in_memory', '--authenticate_agents=false']);
    expect(f.security.authenticator).toBeUndefined();
    expect(() => parseFlags(['--registry=in_memory'], { LIBPROCESS_SSL_ENABLED: 'false' })).not.toThrow();
  });
});
