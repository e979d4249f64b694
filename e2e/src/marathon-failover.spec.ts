// Issue 15: the `marathon` bin as its own process (file store under --work_dir) is killed with -9 while its
// app runs; a new instance subscribes as the same framework, reconciles, adopts every running task (same task
// ids, nothing launched twice) and keeps the app definition and its versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';
import { freePort, waitUntil } from './harness/daemons.js';

const BIN = fileURLToPath(new URL('../../frameworks/marathon/src/bin/marathon.ts', import.meta.url));

let cluster: LocalCluster;
let workDir: string;
let port: number;
const children: ChildProcess[] = [];

function launcher(): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=@mesos-ts/source', BIN, `--master=${cluster.master}`, `--http_port=${port}`, `--work_dir=${path.join(workDir, 'marathon')}`], { stdio: 'ignore' });
  children.push(child);
  return child;
}

async function tasks(): Promise<Array<{ id: string; state: string }>> {
  const res = await fetch(`http://127.0.0.1:${port}/v2/apps/sleepy?embed=apps.tasks`).catch(() => undefined);
  if (res?.status !== 200) return [];
  return ((await res.json()) as { app: { tasks: Array<{ id: string; state: string }> } }).app.tasks;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'marathon-failover-'));
  port = await freePort();
  cluster = await startCluster({ numAgents: 2, ip: '127.0.0.1', port: 0, workDir, resources: 'cpus:2;mem:2048;disk:2048', attributes: undefined, allocationInterval: '100ms', verbose: false, launcherPort: undefined });
});

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await cluster?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('launcher kill -9', () => {
  it('a new launcher adopts the running tasks and keeps the app', async () => {
    const first = launcher();
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/ping`).catch(() => undefined))?.ok === true, 30_000, 'the launcher answering /ping');
    const res = await fetch(`http://127.0.0.1:${port}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id: '/sleepy', cmd: 'exec sleep 1000', cpus: 0.1, mem: 32, instances: 2 }) });
    expect(res.status).toBe(201);
    await waitUntil(async () => (await tasks()).filter((t) => t.state === 'TASK_RUNNING').length === 2, 30_000, 'two running tasks');
    const before = (await tasks()).map((t) => t.id).sort();
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    launcher();
    await waitUntil(async () => (await tasks()).filter((t) => t.state === 'TASK_RUNNING').length === 2, 30_000, 'the new launcher reporting two running tasks');
    // Give it time to (wrongly) launch more: it must not.
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await tasks()).map((t) => t.id).sort()).toEqual(before);
    const master = (await (await fetch(`http://${cluster.master}/master/tasks`)).json()) as { tasks: Array<{ id: string; state: string }> };
    expect(master.tasks.filter((t) => t.state === 'TASK_RUNNING').map((t) => t.id).sort()).toEqual(before);
    const frameworks = ((await (await fetch(`http://${cluster.master}/master/frameworks`)).json()) as { frameworks: Array<{ name: string }> }).frameworks;
    expect(frameworks.filter((f) => f.name === 'marathon')).toHaveLength(1);
    const versions = ((await (await fetch(`http://127.0.0.1:${port}/v2/apps/sleepy/versions`)).json()) as { versions: string[] }).versions;
    expect(versions).toHaveLength(1);
  });
});
