// Shared setup for the agent's component tests: a FakeMaster, an Agent on 127.0.0.1:0 with a temp work_dir,
// and helpers to launch tasks and wait for states. Everything started here is stopped by `cleanup()`.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { v1 } from '@mesos-ts/proto';
import { Resources } from '@mesos-ts/resources';
import { Agent } from '../src/agent.js';
import type { UriFetcher } from '../src/agent-context.js';
import { parseFlags } from '../src/flags.js';
import { FakeMaster } from '../src/testing/fake-master.js';
import { pidsWithEnv } from '../src/proc.js';
import { CONTAINER_ENV } from '../src/containerizer.js';

export const noFetch: UriFetcher = { fetch: async () => undefined };

export interface Harness {
  master: FakeMaster;
  agent: Agent;
  workDir: string;
  /** Starts another agent on the same work_dir (after a simulated crash). */
  restart(extraFlags?: string[]): Promise<Agent>;
  /** Simulates kill -9 of the agent: stop serving without touching executors. */
  crash(): Promise<void>;
  cleanup(): Promise<void>;
}

export async function startHarness(opts: { autoAck?: boolean; flags?: string[]; fetcher?: UriFetcher } = {}): Promise<Harness> {
  const master = new FakeMaster({ autoAck: opts.autoAck ?? true });
  await master.start();
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'agent-test-'));
  // Tasks may run as another user (the agent runs as root here): they must reach their sandboxes.
  chmodSync(workDir, 0o755);
  const agents: Agent[] = [];
  const make = async (extra: string[]): Promise<Agent> => {
    const flags = parseFlags(
      [`--master=${master.address}`, '--port=0', '--ip=127.0.0.1', `--work_dir=${workDir}`, '--registration_backoff_factor=50ms', '--executor_shutdown_grace_period=1secs', ...(opts.flags ?? []), ...extra],
      {},
      () => '',
    );
    const agent = new Agent({
      flags,
      log: pino({ level: process.env.AGENT_TEST_LOG ?? 'silent' }),
      resources: Resources.parse('cpus:4;mem:4096;disk:10000;ports:[31000-32000]'),
      attributes: [],
      fetcher: opts.fetcher ?? noFetch,
    });
    agents.push(agent);
    await agent.start();
    return agent;
  };
  const h: Harness = {
    master,
    agent: await make([]),
    workDir,
    async restart(extra = []) {
      h.agent = await make(extra);
      return h.agent;
    },
    async crash() {
      await h.agent.stop();
    },
    async cleanup() {
      for (const a of agents) await a.stop({ killExecutors: true }).catch(() => undefined);
      // Anything a crashed agent left behind (executors of every container in this work_dir).
      for (const a of agents) for (const fw of a.frameworks.values()) for (const ex of fw.executors.values()) for (const pid of pidsWithEnv(CONTAINER_ENV, ex.containerId)) process.kill(pid, 'SIGKILL');
      await master.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
  await master.waitForCall((c) => c.type === 'REGISTER');
  await waitFor(() => h.agent.connected, 5000);
  return h;
}

export async function waitFor(pred: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function framework(id: string, extra: Partial<v1.FrameworkInfo> = {}): v1.FrameworkInfo {
  return { id: { value: id }, user: os.userInfo().username, name: `fw-${id}`, ...extra };
}

export function commandTask(id: string, command: string, extra: Partial<v1.TaskInfo> = {}): v1.TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: { value: 'ignored' },
    resources: Resources.parse('cpus:0.1;mem:32').toProto(),
    command: { value: command },
    ...extra,
  };
}

/** True while any process of the pid list is alive. */
export function anyAlive(pids: readonly number[]): boolean {
  return pids.some((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
}
