// The benchmark's fake agents, run in a worker thread so they share an event loop with neither the master (its
// own process) nor the schedulers (another worker). The worker registers its agents, answers RUN_TASK with
// TASK_RUNNING (FakeAgent does), and on command sends status updates with up to `window` updates in flight
// per agent (different tasks; one task's updates stay in order). It reports its counters every 20 ms.
// Updates go through FakeAgent.update (wire's post(), one request per pooled socket at a time) or, with
// `pipeline`, pipelined on one connection per agent (bench/pipelined-client.ts); acknowledgements are counted by
// FakeAgent either way, from the ACKNOWLEDGE events on its stream.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { internal } from '@mesos-ts/proto';
import { APPLICATION_PROTOBUF, encode } from '@mesos-ts/wire';
import { FakeAgent } from '../src/testing/fake-agent.js';
import { PipelinedConnection } from './pipelined-client.js';

export interface AgentsInput {
  url: string;
  /** Agents this worker simulates, named agent-<first>… */
  agents: number;
  first: number;
  /** Keep-alive sockets this worker's agents share. */
  sockets: number;
  pipeline: boolean;
}

export type ToAgents = { type: 'updates'; perTask: number; window: number };
export type FromAgents = { type: 'ready'; ms: number } | { type: 'counts'; acknowledged: number; elu: number } | { type: 'sent' };

/** A STATUS_UPDATE as FakeAgent.update builds it (fresh uuid), encoded for the pipelined connection. */
function statusUpdate(agentId: string, frameworkId: string, taskId: string): Uint8Array {
  const call: internal.AgentCall = {
    type: 'STATUS_UPDATE',
    agent_id: { value: agentId },
    status_update: {
      framework_id: { value: frameworkId },
      latest_state: 'TASK_RUNNING',
      status: { task_id: { value: taskId }, state: 'TASK_RUNNING', source: 'SOURCE_EXECUTOR', uuid: randomBytes(16), timestamp: Date.now() / 1000, agent_id: { value: agentId }, healthy: true },
    },
  };
  return encode(APPLICATION_PROTOBUF, 'mesosts.internal.v1.AgentCall', call);
}

async function sendUpdates(agent: FakeAgent, conn: PipelinedConnection | undefined, perTask: number, window: number): Promise<void> {
  const tasks = [...agent.tasks];
  const id = agent.id as string;
  // Lane i owns tasks i, i+window, …: each lane sends one update at a time, so a task's updates stay ordered.
  const lanes = Array.from({ length: Math.min(window, tasks.length) }, async (_, lane) => {
    for (let k = 0; k < perTask; k++) {
      for (let i = lane; i < tasks.length; i += window) {
        const [taskId, task] = tasks[i] as (typeof tasks)[number];
        if (conn) await conn.post(statusUpdate(id, task.frameworkId, taskId));
        else await agent.update(task.frameworkId, taskId, 'TASK_RUNNING', { healthy: true });
      }
    }
  });
  await Promise.all(lanes);
}

async function run(): Promise<void> {
  const input = workerData as AgentsInput;
  const port = parentPort;
  if (!port) return;
  const pool = new http.Agent({ keepAlive: true, maxSockets: input.sockets });
  const agents: FakeAgent[] = [];
  const t = Date.now();
  for (let i = 0; i < input.agents; i += 100) {
    const batch = Array.from({ length: Math.min(100, input.agents - i) }, (_, j) => new FakeAgent({ master: input.url, hostname: `agent-${input.first + i + j}`, resources: 'cpus:32;mem:65536;disk:100000;ports:[31000-32000]', contentType: APPLICATION_PROTOBUF, httpAgent: pool }));
    await Promise.all(batch.map((a) => a.connect()));
    agents.push(...batch);
  }
  const conns = agents.map((a) => (input.pipeline ? new PipelinedConnection(`${input.url}/internal/v1/agent`, APPLICATION_PROTOBUF, { 'Mesos-Stream-Id': a.streamId ?? '' }) : undefined));
  port.on('message', (msg: ToAgents) => {
    void Promise.all(agents.map((a, i) => sendUpdates(a, conns[i], msg.perTask, msg.window))).then(
      () => port.postMessage({ type: 'sent' } satisfies FromAgents),
      (e: unknown) => console.error('updates failed', (e as Error).message),
    );
  });
  const report = (): void => {
    const acknowledged = agents.reduce((acc, a) => acc + a.acknowledged.size, 0);
    port.postMessage({ type: 'counts', acknowledged, elu: performance.eventLoopUtilization().active } satisfies FromAgents);
  };
  setInterval(report, 20).unref();
  port.postMessage({ type: 'ready', ms: Date.now() - t } satisfies FromAgents);
}

if (parentPort) void run();
