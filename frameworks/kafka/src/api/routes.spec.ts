// The REST API and the CLI over real HTTP against a real KafkaScheduler (not subscribed to any master: the
// broker commands work on its state store; starts are scheduled and time out with their reasons).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStateStore } from '@mesos-ts/framework-kit';
import { main } from '../cli/main.js';
import { newBroker } from '../domain/broker.js';
import { KafkaScheduler } from '../scheduler/kafka-scheduler.js';
import { startHttpServer } from '../scheduler/http-server.js';
import { apiRouter, whyNotRunning } from './routes.js';

let dir: string;
let server: http.Server;
let url: string;
let scheduler: KafkaScheduler;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'kafka-api-'));
  scheduler = await KafkaScheduler.create({
    master: '127.0.0.1:1',
    store: new FileStateStore(path.join(dir, 'state.json')),
    frameworkName: 'kafka',
    frameworkRole: 'kafka',
    frameworkTimeoutMs: 60_000,
    user: 'nobody',
    executor: { command: 'true', uris: [], distribution: '' },
  });
  await writeFile(path.join(dir, 'kafka_2.13-3.7.0.tgz'), 'not really a tarball');
  ({ server, url } = await startHttpServer(apiRouter(scheduler, undefined), { kafkaDist: path.join(dir, 'kafka_2.13-3.7.0.tgz') }, 0, '127.0.0.1'));
});

afterEach(async () => {
  await scheduler.stop();
  await new Promise<void>((r) => server.close(() => r()));
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, {
    env: { KM_API: url },
    readFile: (p) => files.get(p),
    out: (t) => void (out += t),
    err: (t) => void (err += t),
    scheduler: () => Promise.reject(new Error('not in this test')),
    executor: () => Promise.reject(new Error('not in this test')),
  });
  return { code, out, err };
}
/** Files the CLI may read (`file:` option values), by path. */
const files = new Map<string, string>();

describe('broker commands through the CLI and REST API', () => {
  it('adds, lists, updates, clones and removes brokers with kafka-mesos output', async () => {
    expect(await cli('broker', 'add', '0')).toEqual({
      code: 0,
      err: '',
      out: 'broker added:\n  id: 0\n  active: false\n  state: stopped\n  resources: cpus:1.00, mem:2048, heap:1024, port:auto\n  failover: delay:1m, max-delay:10m\n  stickiness: period:10m\n',
    });
    const added = await cli('broker', 'add', '1..2', '--cpus', '0.5', '--mem', '1024', '--heap', '512', '--port', '31090..31100');
    expect(added.out).toMatch(/^brokers added:\n {2}id: 1\n/);
    expect(added.out).toContain('  resources: cpus:0.50, mem:1024, heap:512, port:31090..31100\n');
    expect(added.out).toContain('  stickiness: period:10m\n\n  id: 2\n');
    files.set('server.properties', '# comment\nnum.io.threads=16\nlog.dirs=/mnt/kafka/$id\n');
    const updated = await cli('broker', 'update', '0', '--options', 'file:server.properties', '--failover-max-tries', '3');
    expect(updated.out).toContain('broker updated:\n  id: 0\n');
    expect(updated.out).toContain('  options: num.io.threads=16,log.dirs=/mnt/kafka/$id\n  failover: delay:1m, max-delay:10m, max-tries:3\n');
    expect((await cli('broker', 'update', '0', '--options', '')).out).not.toContain('options:');
    expect((await cli('broker', 'clone', '5', '--source', '1')).out).toContain('broker cloned:\n  id: 5\n  active: false\n  state: stopped\n  resources: cpus:0.50, mem:1024');
    expect((await cli('broker', 'list')).out).toMatch(/^brokers:\n {2}id: 0\n[\s\S]*\n {2}id: 5\n/);
    expect((await cli('broker', 'list', '1')).out).toMatch(/^broker:\n {2}id: 1\n/);
    expect(await cli('broker', 'remove', '5')).toEqual({ code: 0, out: 'broker 5 removed\n', err: '' });
    // JSON shapes as kafka-mesos'.
    const list = (await (await fetch(`${url}/api/broker/list?broker=0`)).json()) as { brokers: Array<Record<string, unknown>> };
    expect(list.brokers[0]).toMatchObject({ id: '0', active: false, state: 'stopped', cpus: 1, mem: 2048, heap: 1024, port: 'auto', failover: { delay: '1m', maxDelay: '10m', maxTries: 3 }, stickiness: { period: '10m' } });
    const state = JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8')) as { entries: Record<string, { value: { brokers: unknown[] } }> };
    expect(state.entries.cluster!.value.brokers).toHaveLength(3);
  });

  it('schedules starts, times out with the reason, and refuses what it cannot do', async () => {
    await cli('broker', 'add', '0..1');
    expect((await cli('broker', 'start', '0', '--timeout', '0')).out).toContain('broker scheduled to start:\n  id: 0\n  active: true\n  state: starting\n');
    const timeout = await cli('broker', 'start', '1', '--timeout', '50ms');
    expect(timeout).toMatchObject({ code: 1, out: '' });
    expect(timeout.err).toBe('Error: broker start timeout\n  broker 1: no matching offers yet:\n    no offer received yet\n');
    // A failed start leaves no pending broker behind (it would later take a stopped broker's slot), unless asked.
    const afterTimeout = (await (await fetch(`${url}/api/broker/list?broker=1`)).json()) as { brokers: Array<Record<string, unknown>> };
    expect(afterTimeout.brokers[0]).toMatchObject({ id: '1', active: false });
    expect((await cli('broker', 'start', '1', '--timeout', '50ms', '--pending')).code).toBe(1);
    const pending = (await (await fetch(`${url}/api/broker/list?broker=1`)).json()) as { brokers: Array<Record<string, unknown>> };
    expect(pending.brokers[0]).toMatchObject({ id: '1', active: true });
    expect(await cli('broker', 'start', '0')).toMatchObject({ code: 1, err: "Error: broker 0 is already active; stop it first or pick other brokers (HTTP 409 from /api/broker/start)\n" });
    expect(await cli('broker', 'remove', '0')).toMatchObject({ code: 1, err: expect.stringContaining("broker 0 is active or running; stop it first ('broker stop 0')") });
    expect((await cli('broker', 'stop', '0..1', '--timeout', '1s')).out).toMatch(/^brokers stopped:\n {2}id: 0\n {2}active: false\n/);
    expect(await cli('broker', 'update', '7', '--cpus', '2')).toMatchObject({ code: 1, err: "Error: broker 7 not found; see 'broker list' for the brokers there are (HTTP 404 from /api/broker/update)\n" });
    expect(await cli('broker', 'add', '0')).toMatchObject({ code: 1, err: expect.stringContaining('broker 0 already exists') });
    expect(await cli('broker', 'list', '0..x')).toMatchObject({ code: 1, err: expect.stringContaining("invalid expression '0..x'") });
    expect(await cli('broker', 'add', '3', '--cpus', 'lots')).toMatchObject({ code: 1, err: expect.stringContaining("invalid cpus 'lots'") });
    expect(await cli('broker', 'add', '3', '--memory', '1')).toMatchObject({ code: 1, err: "Error: unknown option --memory; see 'help broker add'\n" });
    expect(await cli('broker', 'log', '0')).toMatchObject({ code: 1, err: expect.stringContaining('broker 0 is not running') });
    expect(await cli('topic', 'list')).toMatchObject({ code: 1, err: expect.stringContaining('topics are not available') });
    expect(await cli('broker', 'frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining('unsupported broker command frobnicate') });
  });

  it.each<[string, number, string[], RegExp]>([
    ['its task keeps failing', 2, [], /^its task failed 2 time\(s\) \(failed 2 .*, next start .*\); the broker's stdout\/stderr are in the task sandbox on its agent$/],
    ['no offer fits', 0, ['h1: not enough mem'], /^h1: not enough mem$/],
    ['no offer came', 0, [], /^no offer received yet$/],
  ])('says why a start timed out: %s', (_, failures, reasons, first) => {
    const now = Date.now();
    const broker = { ...newBroker(4), active: true, failover: { ...newBroker(4).failover, failures, failureTime: failures > 0 ? now : undefined } };
    const why = whyNotRunning(broker, { now: () => now, unplaced: new Map(reasons.length > 0 ? [[4, reasons]] : []) });
    expect(why[0]).toMatch(first);
  });

  it('serves the distribution to agents and answers /health', async () => {
    const dist = await fetch(`${url}/kafka/kafka_2.13-3.7.0.tgz`);
    expect(dist.status).toBe(200);
    expect(await dist.text()).toBe('not really a tarball');
    expect((await fetch(`${url}/kafka/other.tgz`)).status).toBe(404);
    expect(await (await fetch(`${url}/health`)).text()).toBe('ok\n');
  });

  // Three `tsx` process starts (each compiles the CLI): on a loaded 2-core machine one took over 10 s.
  it('runs as a real process: kafka-mesos broker add/list against the API (KM_API)', async () => {
    const bin = fileURLToPath(new URL('../bin/kafka-mesos.ts', import.meta.url));
    const run = (...args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', bin, ...args], { env: { ...process.env, KM_API: url }, cwd: fileURLToPath(new URL('../..', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
        child.on('error', reject);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, out, err });
        });
      });
    expect(await run('broker', 'add', '0', '--heap', '1024', '--mem', '2048')).toMatchObject({ code: 0, out: expect.stringMatching(/^broker added:\n {2}id: 0\n/) });
    expect(await run('broker', 'update', '9', '--cpus', '1')).toMatchObject({ code: 1, err: expect.stringContaining('Error: broker 9 not found') });
    expect(await run('nonsense')).toMatchObject({ code: 2 });
  }, 150_000);
});
