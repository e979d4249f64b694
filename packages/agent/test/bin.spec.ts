// The mesos-agent binary's command line: --help, and errors that say what to fix.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');

function run(bin: string, args: string[], env: Record<string, string> = {}, uid?: number) {
  const r = spawnSync(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsx, path.join(here, '..', 'src', 'bin', bin), ...args], {
    encoding: 'utf8',
    timeout: 15_000,
    env: { PATH: process.env.PATH ?? '', ...env },
    ...(uid !== undefined ? { uid, gid: uid } : {}),
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('mesos-agent command line', () => {
  it('--help lists every flag with its default and exits 0', () => {
    const r = run('mesos-agent.ts', ['--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('--master=VALUE');
    expect(r.out).toContain('--work_dir=VALUE');
    expect(r.out).toContain('(default: /tmp/mesos)');
  });

  it.each([
    // exit 2: the command line itself is wrong; exit 1: it parses, but the agent cannot start with it on this host.
    [[], {}, 'missing required flag --master', 2],
    [['--master=zk://h:2181'], {}, 'the node path is missing', 2],
    [['--master=127.0.0.1:5050', '--recover=later'], {}, "--recover must be 'reconnect' or 'cleanup'", 2],
    [['--resources=cpus:x'], { MESOS_MASTER: '127.0.0.1:5050' }, "invalid resource 'cpus:x'", 2],
    [['--master=127.0.0.1:5050', '--resources=cpus:1;mem:64;gpus:1', '--nvidia_gpu_devices=0,1'], {}, "--nvidia_gpu_devices lists 2 device(s) (0,1) but the agent's resources have gpus:1", 1],
  ])('refuses %j with a message saying what is wrong', (args, env, message, code) => {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'agent-bin-'));
    const r = run('mesos-agent.ts', args, { MESOS_WORK_DIR: workDir, ...env });
    rmSync(workDir, { recursive: true, force: true });
    expect(r.code).toBe(code);
    expect(r.err).not.toContain('    at ');
    expect(r.err).toContain(message);
  });

  it('--isolation=cgroups/… fails startup saying what is missing and to use posix isolation (run as a non-root user)', () => {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'agent-bin-'));
    // As root, run the agent as nobody: cgroups then need what the agent lacks.
    const nobody = process.getuid?.() === 0 ? 65534 : undefined;
    if (nobody !== undefined) chownSync(workDir, nobody, nobody);
    const r = run('mesos-agent.ts', ['--master=127.0.0.1:5050', '--isolation=posix/cpu,cgroups/cpu,cgroups/mem', '--resources=cpus:1;mem:64;disk:64', `--work_dir=${workDir}`], {}, nobody);
    rmSync(workDir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.err).toContain('mesos-agent: --isolation=cgroups/cpu,cgroups/mem is not available on this host: the agent runs as uid');
    expect(r.err).toContain('cgroups need root');
    expect(r.err).toContain('or use --isolation=posix/cpu,posix/mem');
    expect(r.err).not.toContain('    at '); // a FlagsError: no stack trace
  });

  it('mesos-executor refuses to run outside an agent', () => {
    const r = run('mesos-executor.ts', []);
    expect(r.code).toBe(2);
    expect(r.err).toContain('MESOS_FRAMEWORK_ID is not set');
  });
});
