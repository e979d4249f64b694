// cgroups isolation with a real mesos-agent process (needs root and writable cgroup hierarchies; skipped,
// saying why, elsewhere): OOM kills become memory limitations in both command executor modes, and after a
// kill -9 the next agent re-attaches container cgroups, or with --recover=cleanup removes them and orphans.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Resources } from '@mesos-ts/resources';
import { CgroupsIsolator } from '../src/cgroups/cgroups-isolator.js';
import { containerDirs } from '../src/cgroups/layout.js';
import { CONTAINER_ENV } from '../src/containerizer.js';
import { pidsWithEnv } from '../src/proc.js';
import { FakeMaster } from '../src/testing/fake-master.js';
import { spawnAgent, type AgentProcess } from './agent-process.js';
import { anyAlive, commandTask, framework, waitFor } from './harness.js';

const probeRoot = `mesos-probe-${process.pid}`;
const probe = CgroupsIsolator.open({ wanted: new Set(['cpu', 'mem']), root: probeRoot, enableCfs: false });
const problem = 'problem' in probe ? probe.problem : undefined;
if (!('problem' in probe)) probe.close();

let master: FakeMaster;
let workDir: string;
let root: string;
let cgroups: CgroupsIsolator;
const agents: AgentProcess[] = [];

describe.skipIf(problem !== undefined)(`cgroups isolation in a real agent${problem ? ` (skipped: ${problem})` : ''}`, () => {
  beforeEach(async () => {
    master = new FakeMaster({ autoAck: true });
    await master.start();
    workDir = mkdtempSync(path.join(os.tmpdir(), 'agent-isolation-'));
    root = `mesos-test-${process.pid}-${Date.now().toString(36)}`;
    const cg = CgroupsIsolator.open({ wanted: new Set(['cpu', 'mem']), root, enableCfs: false });
    if ('problem' in cg) throw new Error(cg.problem);
    cgroups = cg;
  });

  afterEach(async () => {
    for (const a of agents.splice(0)) await a.kill9();
    for (const id of cgroups.list()) await cgroups.destroy(id);
    cgroups.close();
    await master.stop();
    rmSync(workDir, { recursive: true, force: true });
  });

  function start(extra: string[] = []): Promise<AgentProcess> {
    const flags = [`--master=${master.address}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${workDir}`, '--registration_backoff_factor=50ms', '--resources=cpus:2;mem:1024', '--isolation=cgroups/cpu,cgroups/mem', `--cgroups_root=${root}`, ...extra];
    return spawnAgent(flags).then((a) => {
      agents.push(a);
      return a;
    });
  }

  it.each(['inline', 'process'])('--command_executor=%s: an OOM-killed task ends TASK_FAILED with the memory limitation', async (mode) => {
    await start([`--command_executor=${mode}`]);
    await master.waitForCall((c) => c.type === 'REGISTER');
    const task = commandTask('hog', 'dd if=/dev/zero of=/dev/null bs=400M count=1', { resources: Resources.parse('cpus:0.1;mem:128').toProto() });
    master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw'), task } });
    const failed = await master.waitForCall((c) => c.type === 'STATUS_UPDATE' && c.status_update?.status.task_id.value === 'hog' && c.status_update.status.state === 'TASK_FAILED', 20_000);
    const st = failed.status_update!.status;
    expect(st.reason).toBe('REASON_CONTAINER_LIMITATION_MEMORY');
    // The limit (what upstream's message calls Requested) includes the process executor's allowance.
    expect(st.message).toMatch(new RegExp(`^Memory limit exceeded: Requested: ${mode === 'process' ? 192 : 128}MB Maximum Used: `));
    expect(st.limitation?.resources?.[0]).toMatchObject({ name: 'mem', scalar: { value: 128 } });
    await waitFor(() => cgroups.list().length === 0, 10_000, 'the container cgroup to be removed');
  }, 30_000);

  it('--command_executor=process: the executor fits beside a small task (its allowance is added to the limit)', async () => {
    await start(['--command_executor=process']);
    await master.waitForCall((c) => c.type === 'REGISTER');
    master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw'), task: commandTask('small', 'sleep 1') } });
    const done = await master.waitForCall((c) => c.type === 'STATUS_UPDATE' && c.status_update?.status.task_id.value === 'small' && ['TASK_FINISHED', 'TASK_FAILED'].includes(c.status_update.status.state), 20_000);
    expect({ state: done.status_update!.status.state, message: done.status_update!.status.message }).toEqual({ state: 'TASK_FINISHED', message: 'Command exited with status 0' });
  }, 30_000);

  it('after kill -9 the next agent keeps live container cgroups; --recover=cleanup removes them and orphans', async () => {
    await start();
    await master.waitForCall((c) => c.type === 'REGISTER');
    master.send({ type: 'RUN_TASK', run_task: { framework_info: framework('fw', { checkpoint: true }), task: commandTask('long', 'sleep 100') } });
    await master.waitForUpdate('long', 'TASK_RUNNING', 15_000);
    const [id] = cgroups.list();
    expect(id).toBeDefined();
    const pids = pidsWithEnv(CONTAINER_ENV, id!);
    expect(pids.length).toBeGreaterThan(0);
    for (const dir of containerDirs(cgroups.layout, root, 'orphan')) mkdirSync(dir);

    await agents[0]!.kill9();
    let from = master.calls.length;
    await start();
    await master.waitForCall((c) => c.type === 'REREGISTER', 15_000, from);
    expect(anyAlive(pids)).toBe(true);
    expect(cgroups.list().sort()).toEqual([id!, 'orphan'].sort());
    for (const dir of containerDirs(cgroups.layout, root, id!)) expect(readFileSync(`${dir}/cgroup.procs`, 'utf8')).toContain(String(pids[0]));

    await agents[1]!.kill9();
    from = master.calls.length;
    await start(['--recover=cleanup']);
    await master.waitForCall((c) => c.type === 'REREGISTER', 15_000, from);
    await waitFor(() => !anyAlive(pids), 10_000, 'the recovered container to be killed');
    expect(cgroups.list()).toEqual([]);
    for (const h of containerDirs(cgroups.layout, root, id!)) expect(existsSync(h)).toBe(false);
    expect(readdirSync(workDir)).toContain('meta');
  }, 60_000);
});

describe('GPU assignment in a real agent (no GPU needed: only indices are assigned)', () => {
  let gpuMaster: FakeMaster;
  let gpuWorkDir: string;
  const gpuAgents: AgentProcess[] = [];

  afterEach(async () => {
    for (const a of gpuAgents.splice(0)) await a.kill9();
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      try {
        if (readFileSync(`/proc/${pid}/environ`, 'utf8').includes(`MESOS_SANDBOX=${gpuWorkDir}`)) process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await gpuMaster.stop();
    rmSync(gpuWorkDir, { recursive: true, force: true });
  });

  it('a checkpointed gpu task keeps its device across kill -9 of the agent; the next task gets another one', async () => {
    gpuMaster = new FakeMaster({ autoAck: true });
    await gpuMaster.start();
    gpuWorkDir = mkdtempSync(path.join(os.tmpdir(), 'agent-gpus-'));
    const flags = [`--master=${gpuMaster.address}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${gpuWorkDir}`, '--registration_backoff_factor=50ms', '--resources=cpus:2;mem:1024;gpus:2', '--nvidia_gpu_devices=4,7'];
    gpuAgents.push(await spawnAgent(flags));
    await gpuMaster.waitForCall((c) => c.type === 'REGISTER');
    const gpuTask = (id: string, command: string) => commandTask(id, command, { resources: Resources.parse('cpus:0.1;mem:32;gpus:1').toProto() });
    const fw = framework('fw', { checkpoint: true });
    gpuMaster.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: gpuTask('first', 'test "$CUDA_VISIBLE_DEVICES" = 4 && sleep 100') } });
    await gpuMaster.waitForUpdate('first', 'TASK_RUNNING', 15_000);

    await gpuAgents[0]!.kill9();
    const from = gpuMaster.calls.length;
    gpuAgents.push(await spawnAgent(flags));
    await gpuMaster.waitForCall((c) => c.type === 'REREGISTER', 15_000, from);
    gpuMaster.send({ type: 'RUN_TASK', run_task: { framework_info: fw, task: gpuTask('second', 'test "$CUDA_VISIBLE_DEVICES" = 7') } });
    const second = await gpuMaster.waitForCall((c) => c.type === 'STATUS_UPDATE' && c.status_update?.status.task_id.value === 'second' && ['TASK_FINISHED', 'TASK_FAILED'].includes(c.status_update.status.state), 15_000, from);
    expect({ state: second.status_update!.status.state, message: second.status_update!.status.message }).toEqual({ state: 'TASK_FINISHED', message: 'Command exited with status 0' });
  }, 45_000);
});
