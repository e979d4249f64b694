// One task's latency (issue 22: ACCEPT → TASK_FINISHED received, median < 10 ms, p99 < 30 ms on an idle
// cluster): one real mesos-master and one mesos-agent (default flags but a 50 ms allocation interval, as the
// e2e cluster runs), a scheduler-SDK framework that holds an offer, then RUNS times launches one `true` task
// on it and waits for TASK_FINISHED before the next. Prints the median and p99 of every phase as the framework
// saw it (ACCEPT answered by the master, TASK_STARTING, TASK_RUNNING, TASK_FINISHED), so the figure says
// where the time goes, and the machine's load with it.
//   npm run bench:latency -w @mesos-ts/e2e [-- --runs=200]
import os from 'node:os';
import type { v1 } from '@mesos-ts/proto';
import { SchedulerClient } from '@mesos-ts/scheduler';
import { Cluster } from '../harness/daemons.js';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 200);
const WARM_UP = 20;
const PHASES = ['accepted', 'TASK_STARTING', 'TASK_RUNNING', 'TASK_FINISHED'] as const;
type Phase = (typeof PHASES)[number];

const load = (): string => os.loadavg().map((x) => x.toFixed(2)).join(' ');

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? Number.NaN;
}

function task(id: string, offer: v1.Offer): v1.TaskInfo {
  return {
    name: id,
    task_id: { value: id },
    agent_id: offer.agent_id,
    command: { value: 'true' },
    resources: [
      { name: 'cpus', type: 'SCALAR', scalar: { value: 0.01 } },
      { name: 'mem', type: 'SCALAR', scalar: { value: 1 } },
    ],
  };
}

async function main(): Promise<void> {
  const cluster = new Cluster();
  let client: SchedulerClient | undefined;
  try {
    const loadBefore = load();
    await cluster.startMaster();
    await cluster.startAgent('agent-1', ['--resources=cpus:2;mem:1024;disk:1024']);
    const fw = new SchedulerClient({ master: cluster.master!.address, framework: { user: os.userInfo().username, name: 'latency-bench' }, contentType: 'application/x-protobuf' });
    client = fw;
    const held: v1.Offer[] = [];
    let seen: ((state: string, at: number) => void) | undefined;
    fw.on('offers', (offers) => void held.push(...offers));
    fw.on('update', (status) => seen?.(status.state, performance.now()));
    const subscribed = new Promise<void>((resolve) => fw.on('subscribed', () => resolve()));
    fw.start();
    await subscribed;

    const samples: Record<Phase, number[]> = { accepted: [], TASK_STARTING: [], TASK_RUNNING: [], TASK_FINISHED: [] };
    for (let i = 0; i < WARM_UP + RUNS; i++) {
      const waitStart = performance.now();
      while (held.length === 0) {
        if (performance.now() - waitStart > 30_000) throw new Error('no offer within 30 s');
        await new Promise((r) => setTimeout(r, 2));
      }
      const offer = held.shift()!;
      const at: Partial<Record<Phase, number>> = {};
      const finished = new Promise<void>((resolve, reject) => {
        seen = (state, when) => {
          if (state === 'TASK_STARTING' || state === 'TASK_RUNNING' || state === 'TASK_FINISHED') at[state] ??= when;
          if (state === 'TASK_FINISHED') resolve();
          else if (state !== 'TASK_STARTING' && state !== 'TASK_RUNNING') reject(new Error(`task ended ${state}`));
        };
      });
      const t0 = performance.now();
      // refuse_seconds 0: the offer's rest (and the task's resources) come back at the next allocation.
      await fw.launch([offer.id.value], [task(`t${i}`, offer)], { refuse_seconds: 0 });
      at.accepted = performance.now();
      await finished;
      seen = undefined;
      if (i < WARM_UP) continue;
      for (const p of PHASES) if (at[p] !== undefined) samples[p].push(at[p]! - t0);
    }

    console.log(`\none task, ACCEPT sent -> event received by the framework (${RUNS} tasks after ${WARM_UP} warm-up, one at a time);`);
    console.log(`${os.cpus().length} cores, load before ${loadBefore}, after ${load()}, node ${process.version}`);
    console.log('phase                      median ms   p99 ms   max ms');
    for (const p of PHASES) {
      const xs = samples[p];
      console.log(`${(p === 'accepted' ? 'ACCEPT answered (202)' : p).padEnd(26)} ${percentile(xs, 0.5).toFixed(1).padStart(9)} ${percentile(xs, 0.99).toFixed(1).padStart(8)} ${Math.max(...xs).toFixed(1).padStart(8)}`);
    }
    console.log('issue 22 target: TASK_FINISHED median < 10 ms, p99 < 30 ms on an idle cluster');
  } finally {
    await client?.stop();
    await cluster.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
