// Upstream's task lifecycle on a real mesos-master and mesos-agent, over both scheduler API encodings: a task that
// ended stays known (framework tasks, /master/state `tasks` with its terminal state, explicit RECONCILE answers
// that state, not TASK_GONE) until the scheduler acknowledges its terminal update; its resources are freed at the
// update; after the acknowledgement it is a completed task that keeps its whole status history.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';
import { acknowledge, Cluster, commandTask, launch, waitUntil } from './harness/daemons.js';

interface TaskJson {
  id: string;
  state: string;
  statuses: { state: string; timestamp: number }[];
}
interface FrameworkJson {
  id: string;
  tasks: TaskJson[];
  completed_tasks: TaskJson[];
  used_resources: { cpus?: number; mem?: number };
}

let cluster: Cluster;

beforeAll(async () => {
  cluster = new Cluster();
  await cluster.startMaster();
  await cluster.startAgent();
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

async function frameworkJson(id: string): Promise<FrameworkJson> {
  const state = (await (await fetch(`${cluster.masterUrl}/master/state`)).json()) as { frameworks: FrameworkJson[] };
  const fw = state.frameworks.find((f) => f.id === id);
  if (!fw) throw new Error(`framework ${id} is not in /master/state`);
  return fw;
}

describe.each<[string, ContentType]>([
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
])('a finished task over %s', (name, contentType) => {
  it('stays known until its terminal update is acknowledged, then is completed with its history', async () => {
    const s = new TestScheduler(cluster.masterUrl, contentType);
    try {
      const sub = await s.subscribe({ name: `lifecycle-${name}`, checkpoint: true });
      expect(sub.type).toBe('SUBSCRIBED');
      const fwId = s.frameworkId as string;
      const [offer] = await s.nextOffers(20_000);
      const taskId = `t-${name}`;
      await launch(s, offer!, [commandTask(taskId, offer!, 'sleep 0.3')]);
      // Acknowledge every update but the terminal one (the agent sends the next only after the previous ack).
      let seen = 0;
      let finished: v1.TaskStatus | undefined;
      while (!finished) {
        const e = await s.waitFor((x) => x.type === 'UPDATE' && x.update?.status.task_id.value === taskId, 20_000, seen);
        seen = s.events.indexOf(e) + 1;
        const st = e.update!.status;
        if (st.state === 'TASK_FINISHED') finished = st;
        else if (['TASK_STAGING', 'TASK_STARTING', 'TASK_RUNNING'].includes(st.state)) await acknowledge(s, st);
        else throw new Error(`${taskId} ended ${st.state}: ${st.message ?? ''}`);
      }
      expect(finished.uuid?.length).toBe(16);

      // Unacknowledged: still among the framework's tasks with its terminal state; its resources are free already.
      let fw = await frameworkJson(fwId);
      expect(fw.tasks.map((t) => [t.id, t.state])).toEqual([[taskId, 'TASK_FINISHED']]);
      expect(fw.completed_tasks).toEqual([]);
      expect(fw.used_resources.cpus ?? 0).toBe(0);

      // Explicit reconciliation answers the terminal state from the master (a crashed scheduler does not re-run it).
      const from = s.events.length;
      expect((await s.call({ type: 'RECONCILE', reconcile: { tasks: [{ task_id: { value: taskId }, agent_id: offer!.agent_id }] } })).status).toBe(202);
      const answer = await s.waitFor((e) => e.type === 'UPDATE' && e.update?.status.task_id.value === taskId, 20_000, from);
      expect(answer.update?.status).toMatchObject({ state: 'TASK_FINISHED', source: 'SOURCE_MASTER', reason: 'REASON_RECONCILIATION' });

      await acknowledge(s, finished);
      await waitUntil(async () => (await frameworkJson(fwId)).completed_tasks.length === 1, 20_000, 'the acknowledged task to be completed');
      fw = await frameworkJson(fwId);
      expect(fw.tasks).toEqual([]);
      const done = fw.completed_tasks[0] as TaskJson;
      expect(done.state).toBe('TASK_FINISHED');
      // The whole history: TIME in `mesos ps --all` is last minus first timestamp.
      const states = done.statuses.map((x) => x.state);
      expect(states).toContain('TASK_RUNNING');
      expect(states[states.length - 1]).toBe('TASK_FINISHED');
      const first = done.statuses[0]!.timestamp;
      const last = done.statuses[done.statuses.length - 1]!.timestamp;
      expect(last - first).toBeGreaterThanOrEqual(0.25);
      expect((await s.call({ type: 'TEARDOWN' })).status).toBe(202);
    } finally {
      s.close();
    }
  }, 90_000);
});
