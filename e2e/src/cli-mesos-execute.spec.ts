// mesos-execute and the read-side `mesos` commands as a user runs them: child processes against a real
// embedded cluster (mesos-local: real master, real agents, real task processes).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runCli, spawnCli, startLocal, until, type LocalCluster } from './cli-harness.js';

let dir: string;
let cluster: LocalCluster;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'cli-execute-'));
  // No launcher: its framework would subscribe first and take the -0000 framework id asserted below.
  cluster = await startLocal(path.join(dir, 'cluster'), ['--allocation_interval=100ms', '--launcher_port=off']);
}, 40_000);

afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
}, 30_000);

describe('mesos-execute', () => {
  it('runs echo hi to TASK_FINISHED and exits 0 (protobuf)', async () => {
    const r = await runCli('mesos-execute', [`--master=${cluster.master}`, '--name=echo-test', "--command=echo hi; echo oops >&2"]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    expect(lines[0]).toMatch(/^Subscribed with ID \S+-0000$/);
    expect(lines[1]).toMatch(/^Submitted task 'echo-test' to agent '\S+-S\d+'$/);
    expect(r.out).toContain("Received status update TASK_RUNNING for task 'echo-test'");
    expect(r.out).toContain("Received status update TASK_FINISHED for task 'echo-test'");
  }, 30_000);

  it('runs exit 3 to TASK_FAILED and exits 1 (json)', async () => {
    const r = await runCli('mesos-execute', [`--master=${cluster.master}`, '--name=fail-test', '--command=exit 3', '--content_type=json', '--resources=cpus:0.5;mem:32']);
    expect(r.code).toBe(1);
    expect(r.out).toContain("Received status update TASK_FAILED for task 'fail-test'\n  message: 'Command exited with status 3'");
  }, 30_000);

  it('passes --env and kills after --kill_after', async () => {
    const env = await runCli('mesos-execute', [`--master=${cluster.master}`, '--name=env-test', '--command=test "$GREETING" = hello', '--env={"GREETING":"hello"}']);
    expect(env.code).toBe(0);
    const killed = await runCli('mesos-execute', [`--master=${cluster.master}`, '--name=kill-test', '--command=sleep 30', '--kill_after=200ms']);
    expect(killed.code).toBe(1);
    expect(killed.out).toContain("Received status update TASK_KILLED for task 'kill-test'");
  }, 40_000);

  it('says within seconds that no agent can ever hold the task, and exits 1', async () => {
    const started = Date.now();
    const r = await runCli('mesos-execute', [`--master=${cluster.master}`, '--name=too-big', '--command=true', '--resources=cpus:512;mem:32']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/Cannot launch task 'too-big': no agent can ever offer cpus:512;mem:32: the \d+ registered agents? ha(s|ve) .*Lower --resources/);
    expect(r.out).not.toContain('Submitted task');
    // Bounded, not timed: a generous ceiling that still proves it did not wait forever in silence.
    expect(Date.now() - started).toBeLessThan(25_000);
  }, 30_000);

  it('exits 2 on bad flags and 1 when the master is down', async () => {
    const bad = await runCli('mesos-execute', ['--name=x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--command is required');
    const down = await runCli('mesos-execute', ['--master=127.0.0.1:1', '--name=x', '--command=true']);
    expect(down.code).toBe(1);
    expect(down.err).toBe('mesos-execute: cannot reach master at 127.0.0.1:1: connection refused — is mesos-master running? (set --master or MESOS_MASTER)\n');
  }, 30_000);
});

describe('mesos read commands', () => {
  it('ps, frameworks, agents, state, cat and tail show what ran', async () => {
    const m = `--master=${cluster.master}`;
    const ran = await runCli('mesos-execute', [m, '--name=cat-test', "--command=printf 'one\\ntwo\\nthree\\n'; echo err >&2"]);
    expect(ran.code).toBe(0);

    const ps = await runCli('mesos', ['ps', '--all', m]);
    expect(ps.code).toBe(0);
    const header = ps.out.split('\n')[0]!;
    expect(header).toMatch(/^FRAMEWORK +AGENT +TASK +STATE +CPUS +MEM +TIME$/);
    const row = ps.out.split('\n').find((l) => l.includes('cat-test'))!;
    expect(row).toMatch(/^mesos-execute instance +agent-\d +cat-test +FINISHED +1 +128M +\d+s$/);
    // Columns line up: every row's TASK cell starts where the header's does.
    expect(row.indexOf('cat-test')).toBe(header.indexOf('TASK'));
    const live = await runCli('mesos', ['ps', m]);
    expect(live.out).not.toContain('cat-test');

    const cat = await runCli('mesos', ['cat', 'cat-test', m]);
    expect(cat).toMatchObject({ code: 0, out: 'one\ntwo\nthree\n' });
    const stderr = await runCli('mesos', ['cat', 'cat-test', 'stderr', m]);
    expect(stderr.out).toContain('err\n');
    const tail = await runCli('mesos', ['tail', '-n', '2', 'cat-test', m]);
    expect(tail).toMatchObject({ code: 0, out: 'two\nthree\n' });
    const missing = await runCli('mesos', ['cat', 'cat-test', 'nope.txt', m]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no file '.*\/nope.txt' on agent/);
    const noTask = await runCli('mesos', ['cat', 'no-such-task', m]);
    expect(noTask).toMatchObject({ code: 1, err: "mesos cat: no task 'no-such-task' on this cluster; 'mesos ps --all' lists the tasks\n" });

    const agents = await runCli('mesos', ['agents', m, '--json']);
    const list = JSON.parse(agents.out) as Array<{ attributes: { hostname: string } }>;
    expect(list.map((a) => a.attributes.hostname).sort()).toEqual(['agent-0', 'agent-1']);
    const table = await runCli('mesos', ['agents', m]);
    expect(table.out.split('\n')[0]).toMatch(/^ID +ADDRESS +ACTIVE +CPUS +MEM +DISK +RESERVED +ATTRIBUTES$/);

    const name = await runCli('mesos', ['state', 'completed_frameworks.0.name', m]);
    expect(name).toMatchObject({ code: 0, out: 'mesos-execute instance\n' });
    const miss = await runCli('mesos', ['state', 'nope', m]);
    expect(miss.code).toBe(1);
    expect(miss.err).toContain("no 'nope' in the master state; there is:");
    const resolve = await runCli('mesos', ['resolve', cluster.master]);
    expect(resolve).toMatchObject({ code: 0, out: `${cluster.master}\n` });
  }, 60_000);

  it('tail -f follows a running task until interrupted', async () => {
    const m = `--master=${cluster.master}`;
    const task = runCli('mesos-execute', [m, '--name=follow-test', '--command=for i in $(seq 1 20); do echo line $i; sleep 0.2; done']);
    await until(async () => (await runCli('mesos', ['ps', m])).out.includes('follow-test'), 'the task to run');
    // --lines=0: everything printed was appended after the follower started.
    const follow = spawnCli('mesos', ['tail', '-f', '--lines=0', 'follow-test', m]);
    const done = await task;
    expect(done.code, `mesos-execute did not finish the task:\n${done.out}\n${done.err}`).toBe(0);
    await until(async () => (await runCli('mesos', ['cat', 'follow-test', m])).out.includes('line 20'), 'the last line');
    // Give the follower one more poll interval, then Ctrl-C it: it exits 0 having printed the whole file.
    await new Promise((r) => setTimeout(r, 1_000));
    follow.child.kill('SIGINT');
    const followed = await follow.result;
    expect(followed.code).toBe(0);
    expect(followed.out).toMatch(/^(line \d+\n)+$/);
    expect(followed.out).toContain('line 20\n');
    const numbers = followed.out.trim().split('\n').map((l) => Number(l.split(' ')[1]));
    expect(numbers).toEqual(numbers.map((_, i) => (numbers[0] as number) + i));
  }, 40_000);
});
