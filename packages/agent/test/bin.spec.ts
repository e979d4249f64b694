// The mesos-agent binary's command line: --help, and errors that say what to fix.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');

function run(bin: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsx, path.join(here, '..', 'src', 'bin', bin), ...args], {
    encoding: 'utf8',
    timeout: 15_000,
    env: { PATH: process.env.PATH ?? '', ...env },
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
    [[], {}, 'missing required flag --master'],
    [['--master=zk://h:2181'], {}, 'the node path is missing'],
    [['--master=127.0.0.1:5050', '--recover=later'], {}, "--recover must be 'reconnect' or 'cleanup'"],
    [['--resources=cpus:x'], { MESOS_MASTER: '127.0.0.1:5050' }, "invalid resource 'cpus:x'"],
  ])('refuses %j with a message saying what is wrong', (args, env, message) => {
    const workDir = mkdtempSync(path.join(os.tmpdir(), 'agent-bin-'));
    const r = run('mesos-agent.ts', args, { MESOS_WORK_DIR: workDir, ...env });
    rmSync(workDir, { recursive: true, force: true });
    expect(r.code).toBe(1);
    expect(r.err).toContain(message);
  });

  it('mesos-executor refuses to run outside an agent', () => {
    const r = run('mesos-executor.ts', []);
    expect(r.code).toBe(2);
    expect(r.err).toContain('MESOS_FRAMEWORK_ID is not set');
  });
});
