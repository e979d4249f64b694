// The scheduler SDK against the real master (in-process, real HTTP on 127.0.0.1) in both content types:
// subscribe, offers, launch, acknowledged updates, and a master restart mid-stream on the same port and
// registry, after which the client fails over with its framework id and reconciles its task.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseFlags, startMaster, type RunningMaster } from '@mesos-ts/master';
import { FakeAgent } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient, type SchedulerEvents } from '@mesos-ts/scheduler';
import { nextEvent } from '@mesos-ts/scheduler/testing';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';
import { waitUntil } from './harness/daemons.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function master(workDir: string, port = 0): Promise<RunningMaster> {
  const parsed = parseFlags([`--port=${port}`, `--work_dir=${workDir}`, '--allocation_interval=50ms']);
  if (parsed.help) throw new Error('unexpected --help');
  return startMaster(parsed.flags);
}

/** The next matching `event` of `c`, within 5000 ms. */
const next = <K extends keyof SchedulerEvents>(c: SchedulerClient, event: K, pred?: (...a: SchedulerEvents[K]) => boolean, timeoutMs = 5_000): Promise<SchedulerEvents[K]> => nextEvent(c, event, pred, timeoutMs);

const until = (probe: () => boolean, what: string, timeoutMs = 5_000): Promise<void> => waitUntil(probe, timeoutMs, what);

describe.each<ContentType>([APPLICATION_JSON, APPLICATION_PROTOBUF])('SchedulerClient against the master over %s', (contentType) => {
  it('launches a task and keeps it through a master restart mid-stream', async () => {
    const workDir = await mkdtemp(path.join(os.tmpdir(), 'sched-e2e-'));
    cleanups.push(() => rm(workDir, { recursive: true, force: true }));
    let running = await master(workDir);
    cleanups.push(() => running.stop());
    const agent = new FakeAgent({ master: running.url, contentType, hostname: 'agent-1' });
    cleanups.push(() => agent.close());
    await agent.connect();

    const client = new SchedulerClient({
      master: `127.0.0.1:${running.port}`,
      framework: { user: 'nobody', name: 'sdk-e2e', failover_timeout: 3600, checkpoint: true },
      contentType,
      backoff: { initialMs: 50, maxMs: 200 },
      reconcileIntervalMs: 100,
      reconcileMaxIntervalMs: 200,
    });
    cleanups.push(() => client.stop());
    let launched = false;
    client.on('offers', async (offers: v1.Offer[]) => {
      for (const offer of offers) {
        if (launched) {
          await client.decline([offer.id], { refuse_seconds: 1 });
          continue;
        }
        launched = true;
        await client.launch([offer.id], [{ name: 't1', task_id: { value: 't1' }, agent_id: offer.agent_id, command: { value: 'sleep 1000' }, resources: [{ name: 'cpus', type: 'SCALAR', scalar: { value: 1 } }, { name: 'mem', type: 'SCALAR', scalar: { value: 128 } }] }]);
      }
    });
    const subscribed = next(client, 'subscribed');
    const runningUpdate = next(client, 'update', (s) => s.state === 'TASK_RUNNING');
    client.start();
    const [{ frameworkId }] = await subscribed;
    const [status] = await runningUpdate;
    const uuid = Buffer.from(status.uuid!).toString('hex');
    await until(() => agent.acknowledged.has(uuid), 'the acknowledgement to reach the agent');

    // Master restart: same port, same registry; the agent re-registers with its task.
    const resubscribed = next(client, 'subscribed', (info) => info.resubscribed, 10_000);
    await running.stop();
    running = await master(workDir, running.port);
    await agent.connect();
    const [info] = await resubscribed;
    expect(info.frameworkId).toBe(frameworkId);
    await until(() => client.tasks.get('t1')?.state === 'TASK_RUNNING' && client.tasks.unconfirmed().length === 0, 'reconciliation of t1', 10_000);
  }, 30_000);
});
