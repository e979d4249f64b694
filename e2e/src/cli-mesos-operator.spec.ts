// `mesos reserve|unreserve|volume|frameworks|teardown` as child processes against a real embedded cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli, startLocal, until, type LocalCluster } from './cli-harness.js';

let dir: string;
let cluster: LocalCluster;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cli-operator-'));
  cluster = await startLocal(path.join(dir, 'cluster'), ['--num_agents=1', '--allocation_interval=100ms']);
}, 40_000);

afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
}, 30_000);

const agentState = async (m: string): Promise<{ reserved: Record<string, { disk?: number; cpus?: number }>; id: string }> => {
  const r = await runCli('mesos', ['state', 'slaves.0', m]);
  const a = JSON.parse(r.out) as { id: string; reserved_resources: Record<string, { disk?: number; cpus?: number }> };
  return { id: a.id, reserved: a.reserved_resources };
};

describe('mesos operator commands', () => {
  it('reserve, create and destroy a volume, unreserve', async () => {
    const m = `--master=${cluster.master}`;
    const flags = ['--agent=agent-0', '--role=db', '--principal=ops'];
    const reserved = await runCli('mesos', ['reserve', ...flags, "--resources=cpus:0.5;disk:100", m]);
    expect(reserved.err).toBe('');
    expect(reserved.code).toBe(0);
    expect(reserved.out).toMatch(/^Reserved cpus:0.5;disk:100 for role 'db' on agent \S+-S0 \(127\.0\.0\.1:\d+\)\n$/);
    expect((await agentState(m)).reserved['db']).toMatchObject({ cpus: 0.5, disk: 100 });

    const volume = ['--id=data-0', '--size=60', '--path=data'];
    const created = await runCli('mesos', ['volume', 'create', ...flags, ...volume, m]);
    expect(created.code).toBe(0);
    expect(created.out).toContain("Created volume 'data-0' (60 MB at data, role 'db')");
    // The volume cannot be created twice; the master's 409 reaches the user.
    const again = await runCli('mesos', ['volume', 'create', ...flags, ...volume, m]);
    expect(again.code).toBe(1);
    expect(again.err).toContain('409');
    // Reserved disk that holds a volume cannot be unreserved.
    const busy = await runCli('mesos', ['unreserve', ...flags, '--resources=disk:100', m]);
    expect(busy.code).toBe(1);

    expect((await runCli('mesos', ['volume', 'destroy', ...flags, ...volume, m])).code).toBe(0);
    const unreserved = await runCli('mesos', ['unreserve', ...flags, "--resources=cpus:0.5;disk:100", m, '--json']);
    expect(unreserved.code).toBe(0);
    expect(JSON.parse(unreserved.out)).toMatchObject({ action: 'unreserve', role: 'db' });
    expect((await agentState(m)).reserved).toEqual({});

    const usage = await runCli('mesos', ['volume', 'resize', m]);
    expect(usage.code).toBe(2);
    const unknownAgent = await runCli('mesos', ['reserve', '--agent=nope', '--role=db', '--resources=cpus:1', m]);
    expect(unknownAgent.code).toBe(1);
    expect(unknownAgent.err).toMatch(/no agent 'nope'; known agents: \S+-S0 \(127\.0\.0\.1:\d+\)/);
  }, 60_000);

  it('frameworks lists a running framework; teardown kills its task', async () => {
    const m = `--master=${cluster.master}`;
    const task = runCli('mesos-execute', [m, '--name=long', '--command=sleep 60', '--framework_name=sleeper', '--resources=cpus:0.1;mem:32']);
    const row = await until(async () => (await runCli('mesos', ['frameworks', m])).out.split('\n').find((l) => l.includes('sleeper')), 'the framework to register');
    expect(row).toMatch(/^\S+-0+\d +sleeper +\* +yes +[01] /);
    await until(async () => (await runCli('mesos', ['ps', m])).out.includes('RUNNING'), 'the task to run');
    const id = row.split(/\s+/)[0]!;
    const down = await runCli('mesos', ['teardown', id, m]);
    expect(down).toMatchObject({ code: 0, out: `Tore down framework ${id}\n` });
    // mesos-execute sees its framework go away and exits 1 (the task did not finish).
    expect((await task).code).toBe(1);
    const ps = await runCli('mesos', ['ps', m]);
    expect(ps.out).not.toContain('long');
    const unknown = await runCli('mesos', ['teardown', 'no-such-framework', m]);
    expect(unknown.code).toBe(1);
  }, 60_000);
});
