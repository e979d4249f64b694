// A real mesos-master and mesos-agent (separate processes) driven by a scheduler over HTTP: a command task
// runs to TASK_FINISHED; URIs are fetched and extracted into the sandbox (a missing one fails the task); a
// kill honours the KillPolicy grace period and leaves no process behind; COMMAND and HTTP health checks
// report healthy=true, and a failing check kills the task after consecutive_failures.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { alive, Cluster, commandTask, freePort, launch, sandboxOf, terminal, waitUntil, startSubscribedCluster, type SubscribedCluster } from './harness/daemons.js';

let started: SubscribedCluster;
let cluster: Cluster;
let s: TestScheduler;
const servers: http.Server[] = [];

beforeEach(async () => {
  started = await startSubscribedCluster({ name: 'e2e-tasks' });
  ({ cluster, s } = started);
});

afterEach(async () => {
  for (const srv of servers.splice(0)) await new Promise((r) => srv.close(r));
  await started.stop();
});

/** Launches one task on the first offer and waits until it is TASK_RUNNING. */
async function runTask(task: (offer: v1.Offer) => v1.TaskInfo): Promise<v1.TaskStatus> {
  const [offer] = await s.nextOffers(10_000);
  const info = task(offer!);
  await launch(s, offer!, [info]);
  return s.update(info.task_id.value, 'TASK_RUNNING', 10_000);
}

/** Serves files of `dir` over HTTP on 127.0.0.1; anything missing is a 404. */
async function serve(dir: string): Promise<string> {
  const srv = http.createServer((req, res) => {
    const file = path.join(dir, path.basename(req.url ?? ''));
    if (!existsSync(file)) {
      res.writeHead(404).end('not here');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(readFileSync(file));
  });
  servers.push(srv);
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
}

describe('tasks on a real agent', () => {
  it('a command task runs to TASK_FINISHED', async () => {
    const [offer] = await s.nextOffers(10_000);
    await launch(s, offer!, [commandTask('hello', offer!, 'echo hi && exit 0')]);
    await s.update('hello', 'TASK_RUNNING', 10_000);
    const finished = await s.update('hello', 'TASK_FINISHED', 10_000);
    expect(finished.message).toBe('Command exited with status 0');
  });

  it('fetches and extracts a .tar.gz URI into the sandbox; a 404 URI fails the task naming the URI', async () => {
    const content = path.join(cluster.dir, 'content');
    mkdirSync(path.join(content, 'bundle'), { recursive: true });
    writeFileSync(path.join(content, 'bundle', 'payload.txt'), 'fetched-ok\n');
    execFileSync('tar', ['-czf', path.join(cluster.dir, 'bundle.tar.gz'), '-C', content, 'bundle']);
    const base = await serve(cluster.dir);

    const [offer] = await s.nextOffers(10_000);
    const good = commandTask('fetch-ok', offer!, 'test "$(cat bundle/payload.txt)" = fetched-ok');
    good.command!.uris = [{ value: `${base}/bundle.tar.gz`, extract: true }];
    const bad = commandTask('fetch-404', offer!, 'true');
    bad.command!.uris = [{ value: `${base}/missing.tar.gz` }];
    await launch(s, offer!, [good, bad]);
    const finished = await s.update('fetch-ok', 'TASK_FINISHED', 15_000);
    expect(finished.message).toBe('Command exited with status 0');
    const failed = await s.update('fetch-404', 'TASK_FAILED', 15_000);
    expect(failed.message).toContain(`${base}/missing.tar.gz`);
    expect(failed.message).toContain('404');
  });

  it('a kill with a KillPolicy grace period ends in TASK_KILLED and leaves no process of the task', async () => {
    // The shell ignores SIGTERM (recording it) and keeps a background child: only the SIGKILL after the grace
    // period ends them, so TASK_KILLED cannot come before ~1 s.
    const script = "trap 'echo term >> got-term' TERM; sleep 1000 & while true; do sleep 0.1; done";
    const running = await runTask((o) => commandTask('stubborn', o, script, 'cpus:0.1;mem:32', { kill_policy: { grace_period: { nanoseconds: 1_000_000_000n } } }));
    await waitUntil(() => cluster.taskPids().length >= 2, 5_000, 'the task shell and its background sleep');
    const pids = cluster.taskPids();
    const sandbox = sandboxOf(cluster.agentDir('agent-1'), running.agent_id!.value, s.frameworkId!, 'stubborn');
    const started = Date.now();
    const r = await s.call({ type: 'KILL', kill: { task_id: { value: 'stubborn' }, agent_id: running.agent_id } });
    expect(r.status).toBe(202);
    const killed = await s.update('stubborn', 'TASK_KILLED', 10_000);
    const elapsed = Date.now() - started;
    expect(killed.state).toBe('TASK_KILLED');
    expect(elapsed).toBeGreaterThanOrEqual(900);
    expect(readFileSync(path.join(sandbox, 'got-term'), 'utf8')).toContain('term');
    await waitUntil(() => pids.every((p) => !alive(p)), 5_000, `every process of the task (${pids.join(',')}) to be gone`);
  });

  it('COMMAND and HTTP health checks report healthy=true; a failing check kills the task after consecutive_failures', async () => {
    const port = await freePort();
    const server = `node -e "require('http').createServer((q, r) => r.end('ok')).listen(${port}, '127.0.0.1')"`;
    const [offer] = await s.nextOffers(10_000);
    const check = { delay_seconds: 0, interval_seconds: 0.2, timeout_seconds: 2, grace_period_seconds: 0 };
    const cmd = commandTask('cmd-check', offer!, 'while true; do sleep 0.1; done', 'cpus:0.1;mem:32', {
      health_check: { ...check, consecutive_failures: 2, type: 'COMMAND', command: { value: 'test ! -f sick' } },
    });
    const web = commandTask('http-check', offer!, server, 'cpus:0.1;mem:64', {
      health_check: { ...check, grace_period_seconds: 10, consecutive_failures: 3, type: 'HTTP', http: { port, path: '/', scheme: 'http' } },
    });
    await launch(s, offer!, [cmd, web]);
    const healthy = (id: string) => s.waitFor((e) => e.type === 'UPDATE' && e.update?.status.task_id.value === id && e.update.status.state === 'TASK_RUNNING' && e.update.status.healthy === true, 15_000);
    const cmdHealthy = await healthy('cmd-check');
    await healthy('http-check');
    expect(cmdHealthy.update?.status.reason).toBe('REASON_TASK_HEALTH_CHECK_STATUS_UPDATED');

    // Make the COMMAND check fail: after 2 failures in a row (checks 0.2 s apart, so not sooner than ~0.2 s)
    // the agent kills the task.
    const sandbox = sandboxOf(cluster.agentDir('agent-1'), cmdHealthy.update!.status.agent_id!.value, s.frameworkId!, 'cmd-check');
    const sickAt = Date.now();
    writeFileSync(path.join(sandbox, 'sick'), '');
    const ended = await terminal(s, 'cmd-check', 15_000);
    expect({ state: ended.state, healthy: ended.healthy }).toEqual({ state: 'TASK_KILLED', healthy: false });
    expect(Date.now() - sickAt).toBeGreaterThanOrEqual(150);
    // The HTTP-checked task is untouched.
    const state = (await (await fetch(`http://${cluster.agents[0]!.address}/state`)).json()) as { frameworks: Array<{ executors: Array<{ tasks: Array<{ id: string; state: string }> }> }> };
    const tasks = state.frameworks.flatMap((f) => f.executors.flatMap((x) => x.tasks));
    expect(tasks.find((t) => t.id === 'http-check')?.state).toBe('TASK_RUNNING');
  });
});
