// kafka-mesos' scheduler on the real master (in-process, real HTTP) with the master's fake agent (tasks go
// to TASK_RUNNING at once, reservations and volumes are checkpointed), driven through the real CLI code and
// REST API: add/start/stop/update/start-again on the same volume, failover after a failure, a scheduler
// restart that adopts the running brokers, and a forced remove that destroys the volume.
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { FileStateStore, loadFrameworkId } from '@mesos-ts/framework-kit';
import { KafkaScheduler, apiRouter, main, startHttpServer, type KafkaSchedulerOptions } from '@mesos-ts/kafka';
import { startMasterWithFakeAgent } from './harness/master-with-fake-agent.js';
import { waitUntil } from './harness/daemons.js';
import { cleanupsAfterEach } from './harness/fixtures.js';

const cleanups = cleanupsAfterEach();

const until = (probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> => waitUntil(probe, timeoutMs, what);

/** The scheduler's options for these tests: role `kafka`, state in `dir`, fast reconciliation and backoff. */
function schedulerOptions(masterPort: number, dir: string, extra: Partial<KafkaSchedulerOptions> = {}): KafkaSchedulerOptions {
  return {
    master: `127.0.0.1:${masterPort}`,
    store: new FileStateStore(path.join(dir, 'kafka-mesos.json')),
    frameworkName: 'kafka',
    frameworkRole: 'kafka',
    principal: 'kafka',
    frameworkTimeoutMs: 60_000,
    user: 'nobody',
    executor: { command: 'kafka-mesos executor', uris: [], distribution: 'kafka.tgz' },
    reconcileIntervalMs: 200,
    backoff: { initialMs: 50, maxMs: 500 },
    ...extra,
  };
}

async function serve(options: KafkaSchedulerOptions): Promise<{ scheduler: KafkaScheduler; cli: (...argv: string[]) => Promise<{ code: number; out: string; err: string }>; stop: () => Promise<void> }> {
  const scheduler = await KafkaScheduler.create(options);
  const { server, url } = await startHttpServer(apiRouter(scheduler, undefined), {}, 0, '127.0.0.1');
  scheduler.start();
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await scheduler.stop();
    await new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
  };
  cleanups.push(stop);
  const cli = async (...argv: string[]): Promise<{ code: number; out: string; err: string }> => {
    let out = '';
    let err = '';
    const code = await main(argv, {
      env: { KM_API: url },
      readFile: () => undefined,
      out: (t) => void (out += t),
      err: (t) => void (err += t),
      scheduler: () => Promise.reject(new Error('unused')),
      executor: () => Promise.reject(new Error('unused')),
    });
    return { code, out, err };
  };
  return { scheduler, cli, stop };
}

describe('kafka-mesos scheduler on the real master', () => {
  it('runs brokers on volumes, fails them over, survives its own restart and removes with --force', async () => {
    const { dir, master, agent } = await startMasterWithFakeAgent(cleanups, 'kafka-e2e-', { attributes: 'rack:r1' });

    const options = schedulerOptions(master.port, dir, { zk: '127.0.0.1:2181/kafka' });
    const first = await serve(options);
    const { cli } = first;

    expect((await cli('broker', 'add', '0..2', '--heap', '1024', '--mem', '2048', '--failover-delay', '300ms', '--failover-max-delay', '1s')).out).toMatch(/^brokers added:\n/);
    const started = await cli('broker', 'start', '0..2', '--timeout', '10s');
    expect(started).toMatchObject({ code: 0, err: '' });
    expect(started.out).toMatch(/^brokers started:\n {2}id: 0\n {2}active: true\n {2}state: running\n/);
    const endpoints = [...started.out.matchAll(/endpoint: (agent-1:\d+)/g)].map((m) => m[1]);
    expect(new Set(endpoints).size).toBe(3);
    expect(started.out).toContain('    attributes: rack=r1\n');
    expect(started.out).toMatch(/ {4}id: broker-0-[0-9a-f-]{36}\n {4}running: true\n/);
    const volumes = (): string[] => agent.checkpointed.flatMap((r) => (r.disk?.persistence ? [r.disk.persistence.id] : [])).sort();
    expect(volumes()).toEqual(['kafka-broker-0', 'kafka-broker-1', 'kafka-broker-2']);

    // Stop, update, start again: same host, same volume, no new volume.
    const stopped = await cli('broker', 'stop', '0');
    expect(stopped.out).toMatch(/^broker stopped:\n {2}id: 0\n {2}active: false\n {2}state: stopped\n/);
    expect(stopped.out).toMatch(/stickiness: period:10m, hostname:agent-1, expires:\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ\n/);
    expect((await cli('broker', 'update', '0', '--options', 'log.dirs=/mnt/kafka/broker0')).out).toContain('  options: log.dirs=/mnt/kafka/broker0\n');
    const again = await cli('broker', 'start', '0', '--timeout', '10s');
    expect(again.out).toContain('endpoint: agent-1:');
    const broker0 = first.scheduler.brokers().find((b) => b.id === 0)!;
    const task0 = agent.tasks.get(broker0.task!.id)!.task;
    expect(task0.resources?.find((r) => r.disk?.persistence)?.disk?.persistence?.id).toBe('kafka-broker-0');
    // On a persistent volume, log.dirs names a directory on the volume (mounted at data/ in the sandbox).
    expect(JSON.parse(new TextDecoder().decode(task0.data!)).properties['log.dirs']).toBe('data/mnt/kafka/broker0');
    expect(volumes()).toEqual(['kafka-broker-0', 'kafka-broker-1', 'kafka-broker-2']);

    // Updating a running broker: it needs a restart.
    expect((await cli('broker', 'update', '2', '--cpus', '0.5')).out).toContain('  state: running (modified, needs restart)\n');

    // A broker fails: restarted after its failover delay, on its volume.
    const fw = first.scheduler.client.frameworkId!;
    const failedTask = first.scheduler.brokers().find((b) => b.id === 1)!.task!.id;
    await agent.update(fw, failedTask, 'TASK_FAILED');
    await until(() => first.scheduler.brokers().find((b) => b.id === 1)?.task === undefined, 'broker 1 to register its failure');
    expect((await cli('broker', 'list', '1')).out).toMatch(/state: (failed 1 .*, next start .*|starting 2, failed .*)\n/);
    await until(() => { const b = first.scheduler.brokers().find((x) => x.id === 1); return b?.task?.state === 'running' && b.task.id !== failedTask; }, 'broker 1 restarted');
    const task1 = agent.tasks.get(first.scheduler.brokers().find((b) => b.id === 1)!.task!.id)!.task;
    expect(task1.resources?.find((r) => r.disk?.persistence)?.disk?.persistence?.id).toBe('kafka-broker-1');

    // Rolling restart of broker 2 applies its update.
    const restarted = await cli('broker', 'restart', '2', '--timeout', '10s');
    expect(restarted.out).toMatch(/^broker restarted:\n {2}id: 2\n {2}active: true\n {2}state: running\n {2}resources: cpus:0.50/);

    // Scheduler restart: same framework id, brokers adopted (no new launches).
    const running = new Map(first.scheduler.brokers().map((b) => [b.id, b.task!.id]));
    const launchedBefore = agent.tasks.size;
    await first.stop();
    const second = await serve(options);
    await until(() => second.scheduler.client.subscribed && second.scheduler.client.tasks.unconfirmed().length === 0, 'reconciliation after the restart');
    expect(second.scheduler.client.frameworkId).toBe(fw);
    expect(await loadFrameworkId(options.store)).toBe(fw);
    await until(() => second.scheduler.brokers().every((b) => b.task?.state === 'running'), 'brokers adopted as running');
    expect(new Map(second.scheduler.brokers().map((b) => [b.id, b.task!.id]))).toEqual(running);
    await new Promise((r) => setTimeout(r, 300));
    expect(agent.tasks.size).toBe(launchedBefore);

    // Remove: refused while running, then needs --force for the data, which destroys the volume.
    expect((await second.cli('broker', 'remove', '2')).err).toContain("broker 2 is active or running; stop it first ('broker stop 2')");
    await second.cli('broker', 'stop', '2');
    expect((await second.cli('broker', 'remove', '2')).err).toContain('broker 2 keeps data on volume kafka-broker-2; pass --force to destroy the data and unreserve its resources');
    expect(await second.cli('broker', 'remove', '2', '--force')).toMatchObject({ code: 0, out: 'broker 2 removed\n' });
    await until(() => !volumes().includes('kafka-broker-2'), 'volume kafka-broker-2 destroyed');
    expect(volumes()).toEqual(['kafka-broker-0', 'kafka-broker-1']);
  }, 60_000);

  it('KRaft: fixes the controller quorum at the first launch; a broker added later joins as a broker', async () => {
    const { dir, master, agent } = await startMasterWithFakeAgent(cleanups, 'kafka-kraft-');
    const options = schedulerOptions(master.port, dir);
    const first = await serve(options);
    const launchOf = (id: number): { controllerPort?: number; properties: Record<string, string> } => {
      const b = first.scheduler.brokers().find((x) => x.id === id)!;
      return JSON.parse(new TextDecoder().decode(agent.tasks.get(b.task!.id)!.task.data!)) as { controllerPort?: number; properties: Record<string, string> };
    };
    await first.cli('broker', 'add', '0..1', '--mem', '1024');
    expect((await first.cli('broker', 'start', '0..1', '--timeout', '10s')).code).toBe(0);
    const voters = first.scheduler.voters()!;
    expect(voters).toMatch(/^0@agent-1:\d+,1@agent-1:\d+$/);
    expect(launchOf(0).properties).toMatchObject({ 'process.roles': 'broker,controller', 'controller.quorum.voters': voters });

    // Broker 2 comes later: same voters, broker role only, one port.
    await first.cli('broker', 'add', '2', '--mem', '1024');
    expect((await first.cli('broker', 'start', '2', '--timeout', '10s')).code).toBe(0);
    expect(launchOf(2).properties).toMatchObject({ 'process.roles': 'broker', 'controller.quorum.voters': voters });
    expect(launchOf(2).controllerPort).toBeUndefined();

    // A voter relaunched (stop/start) keeps its ports; the quorum survives a scheduler restart; a voter cannot be removed.
    const before = launchOf(1);
    await first.cli('broker', 'stop', '1');
    expect((await first.cli('broker', 'start', '1', '--timeout', '10s')).code).toBe(0);
    expect([launchOf(1).controllerPort, launchOf(1).properties.listeners]).toEqual([before.controllerPort, before.properties.listeners]);
    await first.cli('broker', 'stop', '0');
    expect((await first.cli('broker', 'remove', '0', '--force')).err).toContain(`broker 0 is a KRaft controller quorum voter (controller.quorum.voters=${voters})`);
    await first.stop();
    const second = await serve(options);
    expect(second.scheduler.voters()).toBe(voters);
  }, 60_000);
});
