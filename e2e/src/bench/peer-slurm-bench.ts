// Side by side with Slurm, in one run (issue 22): the same workloads on a single-node Slurm (slurm-wlm from
// Debian, tuned for throughput, in a loopback-only network namespace) and on one mesos-master + one mesos-agent
// driven by the scheduler SDK. Both get the same concurrency: the Slurm node's CPUs × JOBS_PER_CPU job slots,
// the agent's cpus split into as many task slots. Workloads:
//   1. N trivial jobs (`true`) submitted as fast as the client allows: sbatch in a loop vs SDK LAUNCHes from offers;
//      time to submit all, and time until all finished.
//   2. One job's latency, median and p99 of LATENCY_RUNS: `srun true` (submit → run → exit seen by the client) vs
//      ACCEPT → TASK_FINISHED received.
//   3. SLEEPERS `sleep 0.1` jobs: time until all finished.
// Prints every figure for both, and the ratio (Slurm time / ours: > 1 means we are faster); tears everything down.
//   npm run bench:peer [-- --trivial=500 --sleepers=2000 --latency-runs=30]
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { Cluster } from '../harness/daemons.js';
import { SdkBatchRunner } from './sdk-batch.js';
import { SlurmCluster, slurmPrerequisiteProblem } from './slurm-cluster.js';

const arg = (name: string, def: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const TRIVIAL = arg('trivial', 500);
const SLEEPERS = arg('sleepers', 2000);
const LATENCY_RUNS = arg('latency-runs', 30);
const JOBS_PER_CPU = 50;
const CPUS = os.cpus().length;
const SLOTS = CPUS * JOBS_PER_CPU;

interface Row {
  figure: string;
  slurm: number;
  ours: number;
  unit: string;
}

const progress = (line: string): void => void process.stderr.write(`[peer-bench] ${line}\n`);

async function slurmSide(): Promise<Omit<Row, 'ours'>[]> {
  const slurm = new SlurmCluster({ jobsPerCpu: JOBS_PER_CPU });
  try {
    progress(`starting Slurm (${CPUS} CPUs × OverSubscribe=FORCE:${JOBS_PER_CPU}) in network namespace ${slurm.netns}`);
    await slurm.start();
    slurm.client('srun', ['true']); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) {
      const t0 = performance.now();
      slurm.client('srun', ['true']);
      latencies.push(performance.now() - t0);
    }
    progress(`srun true: median ${median(latencies).toFixed(1)} ms`);
    const batch = async (count: number, command: string): Promise<{ submitMs: number; doneMs: number }> => {
      await slurm.waitUntil(() => slurm.queued() === 0, 60_000, 'an empty queue');
      const t0 = performance.now();
      for (let i = 0; i < count; i++) await slurm.clientAsync('sbatch', ['-Q', '-o', '/dev/null', '-n', '1', `--wrap=${command}`]);
      const submitMs = performance.now() - t0;
      await slurm.waitUntil(() => slurm.queued() === 0, 600_000, `${count} '${command}' jobs to finish`);
      return { submitMs, doneMs: performance.now() - t0 };
    };
    const trivial = await batch(TRIVIAL, 'true');
    progress(`${TRIVIAL} x true: submitted in ${trivial.submitMs.toFixed(0)} ms, done in ${trivial.doneMs.toFixed(0)} ms`);
    const sleepers = await batch(SLEEPERS, 'sleep 0.1');
    progress(`${SLEEPERS} x sleep 0.1: done in ${sleepers.doneMs.toFixed(0)} ms`);
    const failed = slurm.failedJobs();
    if (failed > 0) throw new Error(`${failed} Slurm jobs exited non-zero; logs in ${slurm.dir}/log`);
    return rows(latencies, trivial, sleepers);
  } finally {
    await slurm.stop();
  }
}

async function oursSide(): Promise<Omit<Row, 'ours'>[]> {
  const cluster = new Cluster();
  let runner: SdkBatchRunner | undefined;
  try {
    progress(`starting mesos-master and mesos-agent (cpus:${CPUS}, ${SLOTS} task slots)`);
    await cluster.startMaster();
    await cluster.startAgent('agent-1', [`--resources=cpus:${CPUS};mem:${SLOTS * 4};disk:1024`, '--switch_user=false']);
    runner = new SdkBatchRunner(cluster.master!.address, CPUS / SLOTS);
    await runner.start();
    await runner.run(Math.min(SLOTS, 64), 'true'); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < LATENCY_RUNS; i++) latencies.push(await runner.latency('true'));
    progress(`ACCEPT -> TASK_FINISHED: median ${median(latencies).toFixed(1)} ms`);
    const trivial = await runner.run(TRIVIAL, 'true');
    progress(`${TRIVIAL} x true: submitted in ${trivial.submitMs.toFixed(0)} ms, done in ${trivial.doneMs.toFixed(0)} ms`);
    const sleepers = await runner.run(SLEEPERS, 'sleep 0.1');
    progress(`${SLEEPERS} x sleep 0.1: done in ${sleepers.doneMs.toFixed(0)} ms`);
    return rows(latencies, trivial, sleepers);
  } finally {
    await runner?.stop();
    await cluster.stop();
  }
}

function rows(latencies: number[], trivial: { submitMs: number; doneMs: number }, sleepers: { doneMs: number }): Omit<Row, 'ours'>[] {
  return [
    { figure: `one job latency, median of ${LATENCY_RUNS}`, slurm: median(latencies), unit: 'ms' },
    { figure: `one job latency, p99 of ${LATENCY_RUNS}`, slurm: percentile(latencies, 0.99), unit: 'ms' },
    { figure: `${TRIVIAL} x true: all submitted`, slurm: trivial.submitMs, unit: 'ms' },
    { figure: `${TRIVIAL} x true: all finished`, slurm: trivial.doneMs, unit: 'ms' },
    { figure: `${TRIVIAL} x true: jobs/s`, slurm: (TRIVIAL * 1000) / trivial.doneMs, unit: '/s' },
    { figure: `${SLEEPERS} x sleep 0.1: all finished`, slurm: sleepers.doneMs, unit: 'ms' },
  ];
}

function median(xs: number[]): number {
  return percentile(xs, 0.5);
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
}

function table(merged: Row[]): string {
  const header = ['figure', 'Slurm 22.05', 'mesos-ts', 'ratio (Slurm/ours; /s: ours/Slurm)'];
  const body = merged.map((r) => [
    r.figure,
    `${r.slurm.toFixed(r.unit === 'ms' && r.slurm < 100 ? 1 : 0)} ${r.unit}`,
    `${r.ours.toFixed(r.unit === 'ms' && r.ours < 100 ? 1 : 0)} ${r.unit}`,
    (r.unit === '/s' ? r.ours / r.slurm : r.slurm / r.ours).toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  const problem = slurmPrerequisiteProblem();
  if (problem) {
    console.error(`peer bench: ${problem}`);
    process.exitCode = 2;
    return;
  }
  const started = Date.now();
  const slurm = await slurmSide();
  const ours = await oursSide();
  const merged = slurm.map((r, i) => ({ ...r, ours: ours[i]!.slurm }));
  const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  console.log(`\npeer bench: Slurm vs mesos-ts on one node, ${SLOTS} job slots each; ${CPUS} cores, load ${load}, node ${process.version}`);
  console.log(table(merged));
  console.log(`(took ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
