// `npm run bench` (in frameworks/spark): 20 small PySpark jobs (pi over 2 partitions, one 1-core worker each,
// 512 MB heaps) queued at once on an embedded cluster (mesos-local, 2 agents of cpus:4;mem:6144) through the
// dispatcher's REST API with the JSON spark-submit sends; prints the total wall time, the highest number of
// drivers running at once, and the median submit→FINISHED. Needs the Spark distribution the e2e tool
// assembles (`npx tsx e2e/dists/cli.ts ensure spark`), or SPARK_HOME. Processes are children of this script
// (mesos-local, spark-dispatcher), killed by process group at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const JOBS = Number(process.env.JOBS ?? 20);
const SPARK_HOME = process.env.SPARK_HOME ?? path.join(os.homedir(), '.cache/mesos-ts/dists/spark-3.5.8/spark-3.5.8-bin-hadoop3');
const PI = `import sys
from random import random
from operator import add
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("PythonPi").getOrCreate()
n = 20000
count = spark.sparkContext.parallelize(range(n), 2).map(lambda _: 1 if (random() * 2 - 1) ** 2 + (random() * 2 - 1) ** 2 <= 1 else 0).reduce(add)
print("Pi is roughly %f" % (4.0 * count / n))
spark.stop()
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    }).on('error', reject);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(probe: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

const children: ChildProcess[] = [];
// Interrupted: the cluster and the dispatcher go too (their process groups).
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.once(sig, () => {
    children.forEach(stop);
    process.exit(130);
  });
}

function start(args: string[], dir: string, name: string): ChildProcess {
  const p = spawn(process.execPath, args, { detached: true, stdio: 'ignore', cwd: dir });
  children.push(p);
  p.on('exit', (code, sig) => code !== 0 && sig !== 'SIGTERM' && sig !== 'SIGKILL' && console.error(`${name} exited (${code ?? sig})`));
  return p;
}

function stop(p: ChildProcess | undefined): void {
  if (p?.pid !== undefined && p.exitCode === null) {
    try {
      process.kill(-p.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
}

async function main(): Promise<void> {
  if (!existsSync(path.join(SPARK_HOME, 'bin/spark-submit'))) {
    console.log(`no Spark distribution at ${SPARK_HOME}: run \`npx tsx e2e/dists/cli.ts ensure spark\` at the repository root or set SPARK_HOME`);
    return;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'spark-bench-'));
  writeFileSync(path.join(dir, 'pi.py'), PI);
  const [masterPort, restPort, uiPort] = [await freePort(), await freePort(), await freePort()];
  let cluster: ChildProcess | undefined;
  let dispatcher: ChildProcess | undefined;
  try {
    cluster = start([path.join(ROOT, 'packages/cli/bin/mesos-local.js'), '--num_agents=2', `--port=${masterPort}`, `--work_dir=${path.join(dir, 'cluster')}`, '--resources=cpus:4;mem:6144;disk:16384', '--allocation_interval=100ms', '--launcher_port=off'], dir, 'mesos-local');
    await until(async () => ((await (await fetch(`http://127.0.0.1:${masterPort}/master/slaves`)).json()) as { slaves: unknown[] }).slaves.length === 2, 60_000, 'the cluster');
    dispatcher = start([path.join(ROOT, 'frameworks/spark/bin/spark-dispatcher.js'), '--master', `mesos://127.0.0.1:${masterPort}`, '--host', '127.0.0.1', '--port', String(restPort), '--webui-port', String(uiPort), '--conf', `spark.mesos.executor.home=${SPARK_HOME}`, '--conf', `spark.mesos.dispatcher.stateFile=${path.join(dir, 'state.json')}`], dir, 'spark-dispatcher');
    const rest = `http://127.0.0.1:${restPort}/v1/submissions`;
    const body = JSON.stringify({
      action: 'CreateSubmissionRequest', appArgs: [], appResource: `file://${path.join(dir, 'pi.py')}`, clientSparkVersion: '3.5.8', environmentVariables: {}, mainClass: '',
      sparkProperties: { 'spark.app.name': 'small-pi', 'spark.driver.memory': '512m', 'spark.executor.memory': '512m', 'spark.cores.max': '1', 'spark.submit.deployMode': 'cluster' },
    });
    const submit = async (): Promise<{ success: boolean; submissionId?: string; message?: string }> => (await fetch(`${rest}/create`, { method: 'POST', body, headers: { 'Content-Type': 'application/json' } })).json() as Promise<{ success: boolean; submissionId?: string }>;
    await until(async () => (await fetch(`${rest}/status/x`)).ok, 30_000, 'the dispatcher');
    // The dispatcher takes submissions once registered with the master.
    let first: Awaited<ReturnType<typeof submit>> = { success: false };
    await until(async () => (first = await submit()).success, 30_000, 'the dispatcher registered');
    const t0 = Date.now();
    const ids = [first.submissionId!];
    for (let i = 1; i < JOBS; i++) ids.push((await submit()).submissionId!);
    const finishedAt = new Map<string, number>();
    let maxRunning = 0;
    const failed: string[] = [];
    while (finishedAt.size + failed.length < ids.length) {
      if (Date.now() - t0 > 20 * 60_000) throw new Error('20 minutes passed; giving up');
      let running = 0;
      for (const id of ids) {
        if (finishedAt.has(id) || failed.includes(id)) continue;
        const s = (await (await fetch(`${rest}/status/${id}`)).json()) as { driverState: string };
        if (s.driverState === 'RUNNING') running++;
        if (s.driverState === 'FINISHED') finishedAt.set(id, Date.now() - t0);
        if (s.driverState === 'FAILED' || s.driverState === 'KILLED') failed.push(id);
      }
      maxRunning = Math.max(maxRunning, running);
      await sleep(250);
    }
    const wall = Date.now() - t0;
    const times = [...finishedAt.values()].sort((a, b) => a - b);
    console.log(`spark-dispatcher bench: ${JOBS} small pi jobs queued at once on 2 agents (cpus:4;mem:6144 each)`);
    console.log(`  total wall time        ${(wall / 1000).toFixed(1)} s`);
    console.log(`  most running at once   ${maxRunning}`);
    console.log(`  finished / failed      ${finishedAt.size} / ${failed.length}`);
    console.log(`  first / median / last FINISHED after  ${(times[0]! / 1000).toFixed(1)} / ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(1)} / ${(times.at(-1)! / 1000).toFixed(1)} s`);
  } finally {
    stop(dispatcher);
    stop(cluster);
    await sleep(3000);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
