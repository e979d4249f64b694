// Issue 15's first "done when": frameworks/kafka/kafka-mesos.json POSTed to the launcher that mesos-local
// runs in-process starts the kafka-mesos scheduler as a task (found on PATH: tasks inherit the agent's
// environment, as under `npm start`), and `kafka-mesos broker add 0..2 --api …` works against it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';
import { waitUntil } from './harness/daemons.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const APP_JSON = path.join(ROOT, 'frameworks/kafka/kafka-mesos.json');
const KAFKA_MESOS = path.join(ROOT, 'frameworks/kafka/bin/kafka-mesos.js');

let cluster: LocalCluster;
let workDir: string;
const savedPath = process.env.PATH;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(os.tmpdir(), 'marathon-kafka-'));
  // As under `npm start`: the workspace's bins are on the agents' (inherited) PATH.
  process.env.PATH = `${path.join(ROOT, 'node_modules/.bin')}:${savedPath}`;
  cluster = await startCluster({ numAgents: 2, ip: '127.0.0.1', port: 0, workDir, resources: 'cpus:2;mem:2048;disk:4096', attributes: undefined, allocationInterval: '100ms', verbose: false, launcherPort: 0 });
});

afterAll(async () => {
  await cluster?.stop();
  process.env.PATH = savedPath;
  await rm(workDir, { recursive: true, force: true });
});

describe('kafka-mesos launched through the launcher', () => {
  it('POST kafka-mesos.json runs the scheduler as a task; broker add 0..2 works against it', async () => {
    const api = cluster.launcher!.url;
    // The JSON names npm start's master (127.0.0.1:5050); this cluster's master has an ephemeral port.
    const body = readFileSync(APP_JSON, 'utf8').replace('127.0.0.1:5050', cluster.master);
    const res = await fetch(`${api}/v2/apps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(res.status).toBe(201);
    let kmApi = '';
    await waitUntil(async () => {
      const app = ((await (await fetch(`${api}/v2/apps/kafka-mesos`)).json()) as { app: { tasks: Array<{ state: string; host: string; ports: number[] }> } }).app;
      const t = app.tasks.find((x) => x.state === 'TASK_RUNNING');
      if (t === undefined) return false;
      kmApi = `http://${t.host}:${t.ports[0]}`;
      return (await fetch(`${kmApi}/health`).catch(() => undefined))?.ok === true;
    }, 60_000, 'the kafka-mesos scheduler task running and answering /health');
    const { stdout } = await promisify(execFile)(process.execPath, [KAFKA_MESOS, 'broker', 'add', '0..2', `--api=${kmApi}`], { timeout: 30_000 });
    expect(stdout).toMatch(/brokers? added/);
    const list = (await (await fetch(`${kmApi}/api/broker/list`)).json()) as { brokers: Array<{ id: number }> };
    expect(list.brokers.map((b) => Number(b.id))).toEqual([0, 1, 2]);
    // The scheduler registered with the master as its own framework.
    const frameworks = ((await (await fetch(`http://${cluster.master}/master/frameworks`)).json()) as { frameworks: Array<{ name: string; active: boolean }> }).frameworks;
    expect(frameworks.map((f) => f.name).sort()).toEqual(['kafka', 'marathon']);
  });
});
