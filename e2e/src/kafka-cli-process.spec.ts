// `kafka-mesos scheduler` and the `kafka-mesos broker …` CLI as real processes (the bin run from sources
// with tsx) against the real master (in-process) and its fake agent: flags, the REST API, distribution
// serving (a directory streamed as .tgz), exit codes, and a scheduler process restart that adopts brokers.
import { afterEach, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './harness/ports.js';
import { startMasterWithFakeAgent } from './harness/master-with-fake-agent.js';

const BIN = fileURLToPath(new URL('../../frameworks/kafka/src/bin/kafka-mesos.ts', import.meta.url));
const DIST = fileURLToPath(new URL('../fixtures/kafka', import.meta.url));
const TSX = import.meta.resolve('tsx');

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function run(args: string[], env: Record<string, string>, cwd: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, BIN, ...args], { env: { ...process.env, ...env }, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

function startScheduler(args: string[], cwd: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import', TSX, BIN, 'scheduler', ...args], { cwd, stdio: 'ignore' });
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, exited };
}

async function until(probe: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('kafka-mesos as processes', () => {
  it('scheduler --help prints the scheduler page (exit 0); a bad scheduler command line exits 2', async () => {
    const help = await run(['scheduler', '--help'], {}, process.cwd());
    expect(help).toMatchObject({ code: 0, err: '' });
    expect(help.out).toContain('--framework-timeout <String>');
    const bad = await run(['scheduler', '--master=127.0.0.1:5050', '--bogus=1'], {}, process.cwd());
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^Error: .*bogus/);
  }, 60_000);

  it('schedules brokers from the CLI, serves the distribution, and survives a scheduler restart', async () => {
    const { dir, master, agent } = await startMasterWithFakeAgent(cleanups, 'kafka-proc-');

    const api = `http://127.0.0.1:${await freePort()}`;
    // Flags from a properties file, as kafka-mesos users keep them.
    await writeFile(path.join(dir, 'kafka-mesos.properties'), `master=127.0.0.1:${master.port}\napi=${api}\nstorage=file:${path.join(dir, 'state.json')}\nzk=127.0.0.1:2181\n`);
    const flags = ['--bind-address=127.0.0.1', '--framework-role=kafka', '--principal=kafka', `--kafka-dist=${DIST}`];
    const first = startScheduler(flags, dir);
    await until(async () => (await fetch(`${api}/health`)).ok, 'the scheduler API');

    const env = { KM_API: api };
    expect(await run(['broker', 'add', '0..1', '--mem', '2048', '--heap', '1024'], env, dir)).toMatchObject({ code: 0, out: expect.stringMatching(/^brokers added:\n {2}id: 0\n/) });
    const started = await run(['broker', 'start', '0..1', '--timeout', '15s'], env, dir);
    expect(started).toMatchObject({ code: 0, err: '' });
    expect(started.out).toMatch(/^brokers started:\n/);
    expect([...started.out.matchAll(/endpoint: agent-1:(\d+)/g)]).toHaveLength(2);
    const executor = [...agent.tasks.values()][0]!.task.executor!;
    expect(executor.command?.uris).toEqual([{ value: `${api}/kafka/kafka.tgz`, extract: true }]);
    expect(executor.command?.value).toContain('executor');

    // The distribution directory is served as a .tgz the fetcher can extract.
    const tgz = Buffer.from(await (await fetch(`${api}/kafka/kafka.tgz`)).arrayBuffer());
    await writeFile(path.join(dir, 'dist.tgz'), tgz);
    const listing = (await promisify(execFile)('tar', ['-tzf', path.join(dir, 'dist.tgz')])).stdout;
    expect(listing).toContain('kafka/bin/kafka-server-start.sh');

    // The API URL also comes from kafka-mesos.properties (no --api, no KM_API).
    const listed = await run(['broker', 'list'], {}, dir);
    expect(listed.out).toMatch(/^brokers:\n {2}id: 0\n {2}active: true\n {2}state: running\n/);
    const tasks = [...listed.out.matchAll(/id: (broker-\d-[0-9a-f-]+)/g)].map((m) => m[1]);

    // SIGTERM: clean exit 0; a new scheduler process adopts the running brokers.
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(await run(['broker', 'list'], env, dir)).toMatchObject({ code: 1, err: expect.stringContaining('cannot reach the API') });
    startScheduler(flags, dir);
    await until(async () => {
      const out = (await run(['broker', 'list'], env, dir)).out;
      return (out.match(/state: running/g) ?? []).length === 2;
    }, 'brokers adopted after the restart', 30_000);
    const again = await run(['broker', 'list'], env, dir);
    expect([...again.out.matchAll(/id: (broker-\d-[0-9a-f-]+)/g)].map((m) => m[1])).toEqual(tasks);
    expect(agent.tasks.size).toBe(2);
  }, 90_000);
});
