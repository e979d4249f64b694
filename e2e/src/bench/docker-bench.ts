// Docker figures of issue 19 (`npm run bench:docker` in e2e): launch latency of a DOCKER command task (the
// agent's docker containerizer, `docker run` of mesos-ts/base:bookworm) versus the same plain command task,
// median of BENCH_RUNS (20) each, measured from ACCEPT to TASK_RUNNING and to TASK_FINISHED on one real master
// and agent; and the base image build, cold (BENCH_COLD=1 removes it first) and cached.
import { TestScheduler } from '@mesos-ts/master/testing';
import type { v1 } from '@mesos-ts/proto';
import { Cluster, autoAcknowledge, commandTask, launch, terminal } from '../harness/daemons.js';
import { BASE_IMAGE, docker, ensureBaseImage, ensureDocker, removeAgentContainersUnder, stopDockerdIfStarted } from '../harness/docker.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 20);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

async function main(): Promise<void> {
  const why = await ensureDocker();
  if (why) throw new Error(`docker is not usable: ${why}`);
  if (process.env.BENCH_COLD === '1') docker(['rmi', BASE_IMAGE]);
  const t0 = Date.now();
  const built = ensureBaseImage();
  const t1 = Date.now();
  ensureBaseImage();
  const cachedMs = Date.now() - t1;
  console.log(`base image: ${built > 0 ? `built cold in ${built.toFixed(1)} s` : `already present (${((t1 - t0) / 1000).toFixed(1)} s to check); BENCH_COLD=1 rebuilds it`}; cached check ${cachedMs} ms`);

  const cluster = new Cluster();
  try {
    await cluster.startMaster();
    await cluster.startAgent('agent-1', ['--containerizers=mesos,docker', '--docker_remove_delay=0secs', '--command_executor=inline']);
    const s = new TestScheduler(cluster.masterUrl);
    await s.subscribe({ name: 'bench-docker', checkpoint: true });
    const acks = autoAcknowledge(s);
    const results: Record<string, { running: number[]; finished: number[] }> = { command: { running: [], finished: [] }, docker: { running: [], finished: [] } };
    for (let i = 0; i < RUNS; i++) {
      for (const kind of ['command', 'docker'] as const) {
        const [offer] = await s.nextOffers(30_000);
        const id = `${kind}-${i}`;
        const extra: Partial<v1.TaskInfo> = kind === 'docker' ? { container: { type: 'DOCKER', docker: { image: BASE_IMAGE, network: 'HOST' } } } : {};
        const start = performance.now();
        await launch(s, offer!, [commandTask(id, offer!, 'true', 'cpus:0.1;mem:32', extra)]);
        await s.update(id, 'TASK_RUNNING', 60_000);
        results[kind]!.running.push(performance.now() - start);
        const end = await terminal(s, id, 60_000);
        if (end.state !== 'TASK_FINISHED') throw new Error(`${id} ended ${end.state}: ${end.message}`);
        results[kind]!.finished.push(performance.now() - start);
      }
    }
    acks.stop();
    s.close();
    const c = results.command!;
    const d = results.docker!;
    console.log(`launch latency, median of ${RUNS} (ms):     to RUNNING   to FINISHED`);
    console.log(`  plain command task (inline)          ${median(c.running).toFixed(1).padStart(8)}   ${median(c.finished).toFixed(1).padStart(10)}`);
    console.log(`  docker task (docker run)             ${median(d.running).toFixed(1).padStart(8)}   ${median(d.finished).toFixed(1).padStart(10)}`);
    console.log(`  ratio docker / command               ${(median(d.running) / median(c.running)).toFixed(2).padStart(8)}   ${(median(d.finished) / median(c.finished)).toFixed(2).padStart(10)}`);
  } finally {
    const dir = cluster.dir;
    await cluster.stop();
    await removeAgentContainersUnder(dir);
    // A dockerd the bench started goes with it (one that was already running stays).
    await stopDockerdIfStarted();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
