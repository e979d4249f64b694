// Issue 15, resident apps: an app with a local persistent volume (`container.volumes[].persistent`) gets a
// reservation + volume on its agent; a killed task comes back on the same agent with its data; a cmd update
// rolls onto the same volume; `wipe=true` destroys the volume and gives the reservation back (the instance
// starts afresh elsewhere or on new resources); deleting the app releases everything. Real master, agents and
// launcher (mesos-local in-process, launcher role `db`); the volume is checked on the agent's disk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';
import { waitUntil } from './harness/daemons.js';

interface TaskJson { id: string; host: string; slaveId: string; state: string; localVolumes?: Array<{ containerPath: string; persistenceId: string }> }

let cluster: LocalCluster;
let workDir: string;
let api: string;

async function call(method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${api}${p}`, { method, headers: { 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : { text } };
}

/** The one running task of /db, once it is not `not` (a task id being replaced). */
async function runningTask(not?: string): Promise<TaskJson> {
  let task: TaskJson | undefined;
  await waitUntil(async () => {
    const tasks = ((await call('GET', '/v2/apps/db')).json.app as { tasks: TaskJson[] }).tasks;
    task = tasks.length === 1 && tasks[0]!.state === 'TASK_RUNNING' && tasks[0]!.id !== not ? tasks[0] : undefined;
    return task !== undefined;
  }, 30_000, `a running /db task other than ${not}`);
  return task!;
}

/** Where the agent keeps a task's volume: <agent work_dir>/volumes/roles/db/<persistence id>. */
function volumeDir(task: TaskJson): string {
  const agent = cluster.agents.find((a) => a.address.startsWith(`${task.host}:`));
  if (agent === undefined) throw new Error(`no agent at ${task.host}`);
  return path.join(agent.workDir, 'volumes', 'roles', 'db', task.localVolumes![0]!.persistenceId);
}

/** The runs recorded in the task's volume, once there are `expected` (TASK_RUNNING comes before the echo). */
async function runs(task: TaskJson, expected: number): Promise<string[]> {
  const file = path.join(volumeDir(task), 'runs');
  const read = (): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter((l) => l !== '') : []);
  await waitUntil(async () => read().length >= expected, 15_000, `${expected} runs recorded in ${file}`);
  return read();
}

async function reservedForDb(): Promise<number> {
  const slaves = ((await (await fetch(`http://${cluster.master}/master/slaves`)).json()) as { slaves: Array<{ reserved_resources: Record<string, { cpus?: number }> }> }).slaves;
  return slaves.filter((s) => (s.reserved_resources.db?.cpus ?? 0) > 0).length;
}

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'marathon-resident-'));
  cluster = await startCluster({ numAgents: 2, ip: '127.0.0.1', port: 0, workDir, resources: 'cpus:2;mem:1024;disk:1024', attributes: undefined, allocationInterval: '100ms', verbose: false, launcherPort: 0, launcherRole: 'db' });
  api = cluster.launcher!.url;
});

afterAll(async () => {
  await cluster?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('resident apps on the launcher', () => {
  it('keeps an instance on its agent and its volume; wipe and delete give everything back', async () => {
    const app = { id: '/db', cmd: 'echo "$MARATHON_APP_VERSION" >> data/runs && sleep 1000', cpus: 0.1, mem: 32, instances: 1, container: { type: 'MESOS', volumes: [{ containerPath: 'data', mode: 'RW', persistent: { size: 64 } }] } };
    expect((await call('POST', '/v2/apps', app)).status).toBe(201);
    const first = await runningTask();
    expect(first.localVolumes![0]!.containerPath).toBe('data');
    expect(await runs(first, 1)).toHaveLength(1);
    expect(await reservedForDb()).toBe(1);

    // A killed task is replaced on the same agent, on the same volume: its data is there.
    expect((await call('DELETE', `/v2/apps/db/tasks/${first.id}`)).status).toBe(200);
    const second = await runningTask(first.id);
    expect([second.slaveId, second.localVolumes![0]!.persistenceId]).toEqual([first.slaveId, first.localVolumes![0]!.persistenceId]);
    expect(await runs(second, 2)).toHaveLength(2);

    // A config change rolls the instance onto its own volume (no room over capacity: kill, then relaunch).
    expect((await call('PUT', '/v2/apps/db', { ...app, cmd: `${app.cmd} # v2` })).status).toBe(200);
    const third = await runningTask(second.id);
    expect(third.localVolumes![0]!.persistenceId).toBe(first.localVolumes![0]!.persistenceId);
    expect(await runs(third, 3)).toHaveLength(3);

    // wipe=true: the volume is destroyed and the reservation released; the replacement starts with no data.
    const oldVolume = volumeDir(third);
    expect((await call('DELETE', `/v2/apps/db/tasks/${third.id}?wipe=true`)).status).toBe(200);
    const fourth = await runningTask(third.id);
    expect(fourth.localVolumes![0]!.persistenceId).not.toBe(first.localVolumes![0]!.persistenceId);
    expect(await runs(fourth, 1)).toHaveLength(1);
    await waitUntil(async () => !existsSync(oldVolume), 15_000, 'the wiped volume destroyed on its agent');
    await waitUntil(async () => (await reservedForDb()) === 1, 15_000, 'only the new instance reserved');

    // Deleting the app kills the task, destroys its volume and unreserves.
    const lastVolume = volumeDir(fourth);
    expect((await call('DELETE', '/v2/apps/db')).status).toBe(200);
    await waitUntil(async () => !existsSync(lastVolume) && (await reservedForDb()) === 0, 15_000, 'every reservation of the deleted app given back');
  }, 120_000);
});
