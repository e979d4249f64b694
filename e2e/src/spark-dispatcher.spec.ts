// Issue 18: the Spark dispatcher (frameworks/spark) on an in-process cluster of two agents, driven by the real
// Spark 3.5.8 distribution's own `spark-submit --master mesos://… --deploy-mode cluster` (its REST client,
// RestSubmissionClientApp; spark.master.rest.enabled=true as Spark requires for REST submission). Each
// application runs as a Spark standalone master, workers (one per agent) and the driver, inside Mesos tasks.
// Covers: pi and a word count over a URI-fetched file (the distribution itself fetched by URI), supervise with
// kill -9 (RETRYING → RUNNING, then FAILED past maxRetries), kills of queued and running drivers, a dispatcher
// kill -9 and restart, Spark's error shapes, and the web UI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startCluster, type LocalCluster } from '@mesos-ts/cli';
import { ensureDistribution } from '../dists/index.js';
import { freePort, waitUntil } from './harness/daemons.js';
import { writeJobs } from './harness/spark-jobs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DISPATCHER = path.join(ROOT, 'frameworks/spark/bin/spark-dispatcher.js');

let cluster: LocalCluster;
let workDir: string;
let sparkHome: string;
let sparkTgz: string;
let jobs: ReturnType<typeof writeJobs>;
let port: number;
let webuiPort: number;
let dispatcher: ChildProcess | undefined;

function startDispatcher(): void {
  const log = createWriteStream(path.join(workDir, 'dispatcher.log'), { flags: 'a' });
  dispatcher = spawn(process.execPath, [
    DISPATCHER, '--master', `mesos://${cluster.master}`, '--host', '127.0.0.1', '--port', String(port), '--webui-port', String(webuiPort), '--name', 'Spark Cluster',
    '--conf', `spark.mesos.executor.home=${sparkHome}`,
    '--conf', `spark.mesos.dispatcher.stateFile=${path.join(workDir, 'dispatcher-state.json')}`,
    '--conf', 'spark.mesos.driver.supervise.maxRetries=1',
    '--conf', 'spark.mesos.cluster.retry.wait.max=2',
  ], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  dispatcher.stdout!.pipe(log);
  dispatcher.stderr!.pipe(log);
}

function killDispatcher(signal: NodeJS.Signals): void {
  if (dispatcher?.pid !== undefined && dispatcher.exitCode === null) {
    try {
      process.kill(-dispatcher.pid, signal);
    } catch {
      // already gone
    }
  }
}

async function rest(method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown>; text: string }> {
  const res = await fetch(`http://127.0.0.1:${port}${p}`, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } }) });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text) as Record<string, unknown>, text };
}

async function driverState(id: string): Promise<{ driverState: string; message: string }> {
  const r = await rest('GET', `/v1/submissions/status/${id}`);
  return { driverState: String(r.json.driverState), message: String(r.json.message ?? '') };
}

/** Submits through the distribution's own spark-submit; returns the submission id its REST client printed. */
async function sparkSubmit(args: string[]): Promise<string> {
  const { stdout, stderr } = await promisify(execFile)(path.join(sparkHome, 'bin/spark-submit'), [
    '--master', `mesos://127.0.0.1:${port}`, '--deploy-mode', 'cluster', '--conf', 'spark.master.rest.enabled=true',
    '--conf', 'spark.driver.memory=512m', '--executor-memory', '512m', ...args,
  ], { env: { ...process.env, SPARK_LOCAL_IP: '127.0.0.1' }, timeout: 120_000 });
  const id = /"submissionId" : "(driver-\d{14}-\d{4,})"/.exec(stdout + stderr)?.[1];
  if (id === undefined) throw new Error(`spark-submit printed no submission id:\n${stdout}\n${stderr}`);
  return id;
}

/** Sandboxes (runs/latest) of a task on every agent. */
function sandboxes(taskId: string): string[] {
  const out: string[] = [];
  for (const a of cluster.agents) {
    const slaves = path.join(a.workDir, 'slaves');
    if (!existsSync(slaves)) continue;
    for (const s of readdirSync(slaves)) {
      const fws = path.join(slaves, s, 'frameworks');
      if (!existsSync(fws)) continue;
      for (const f of readdirSync(fws)) {
        const dir = path.join(fws, f, 'executors', taskId, 'runs', 'latest');
        if (existsSync(dir)) out.push(dir);
      }
    }
  }
  return out;
}

function agentOf(dir: string): string {
  return cluster.agents.find((a) => dir.startsWith(a.workDir + path.sep))!.name;
}

/** The pid of the driver's JVM (SparkSubmit running in the task's sandbox). */
function driverPid(taskId: string): number | undefined {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.includes('org.apache.spark.deploy.SparkSubmit') && readlinkSync(`/proc/${pid}/cwd`).includes(`/executors/${taskId}/runs/`)) return Number(pid);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

const TERMINAL = ['FINISHED', 'FAILED', 'KILLED'];

/** The tail of a driver task's stderr, for failure messages. */
function stderrOf(taskId: string): string {
  const dir = sandboxes(taskId)[0];
  return dir === undefined ? '(no sandbox)' : readFileSync(path.join(dir, 'stderr'), 'utf8').split('\n').slice(-40).join('\n');
}

/** Polls a driver until `want`, recording every state seen on the way; another end state fails at once. */
async function waitState(id: string, want: string, timeoutMs: number, seen: string[] = []): Promise<string[]> {
  let last = '';
  await waitUntil(async () => {
    const s = await driverState(id);
    last = s.message;
    if (seen.at(-1) !== s.driverState) seen.push(s.driverState);
    if (s.driverState !== want && TERMINAL.includes(s.driverState)) throw new Error(`${id} ended ${s.driverState}, not ${want}: ${s.message}\n${stderrOf(/value: "([^"]+)"/.exec(s.message)?.[1] ?? id)}`);
    return s.driverState === want;
  }, timeoutMs, `${id} ${want}`).catch((e: unknown) => {
    throw new Error(`${(e as Error).message} (seen ${seen.join(' → ')}; last status ${last})`);
  });
  return seen;
}

beforeAll(async () => {
  const dist = await ensureDistribution('spark', '3.5.8');
  sparkHome = dist.dir;
  sparkTgz = dist.tarball;
  workDir = await mkdtemp(path.join(os.tmpdir(), 'spark-dispatcher-'));
  mkdirSync(path.join(workDir, 'jobs'));
  jobs = writeJobs(path.join(workDir, 'jobs'));
  cluster = await startCluster({ numAgents: 2, ip: '127.0.0.1', port: 0, workDir: path.join(workDir, 'cluster'), resources: 'cpus:4;mem:6144;disk:32768', attributes: undefined, allocationInterval: '100ms', verbose: false, launcherPort: undefined });
  port = await freePort();
  webuiPort = await freePort();
  startDispatcher();
  await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/v1/submissions/status/none`).catch(() => undefined)) !== undefined, 30_000, 'the dispatcher answering');
}, 180_000);

afterAll(async () => {
  killDispatcher('SIGKILL');
  await cluster?.stop();
  // KEEP_SPARK_E2E=1 keeps the sandboxes and the dispatcher log for a look after a failure.
  if (workDir !== undefined && process.env.KEEP_SPARK_E2E !== '1') await rm(workDir, { recursive: true, force: true });
}, 60_000);

describe('spark-dispatcher runs real Spark applications', () => {
  it('pi and a word count submitted by spark-submit finish; output in the driver sandbox; two workers on two agents', async () => {
    const t0 = Date.now();
    const pi = await sparkSubmit(['--conf', 'spark.executor.cores=1', '--total-executor-cores', '2', '--name', 'pi', `file://${jobs.pi}`, '4']);
    await waitState(pi, 'RUNNING', 120_000);
    const running = Date.now() - t0;
    await waitState(pi, 'FINISHED', 180_000);
    const finished = Date.now() - t0;
    console.log(`[figures] pi: submit→RUNNING ${running} ms, submit→FINISHED ${finished} ms`);
    expect((await driverState(pi)).message).toContain('state: TASK_FINISHED');
    const [piSandbox] = sandboxes(pi);
    expect(readFileSync(path.join(piSandbox!, 'stdout'), 'utf8')).toMatch(/Pi is roughly 3\.1/);
    const workers = [1, 2].flatMap((n) => sandboxes(`${pi}-worker-${n}`));
    expect(new Set(workers.map(agentOf)).size).toBe(2);
    for (const w of workers) {
      const apps = readdirSync(path.join(w, 'work'));
      expect(apps.length).toBe(1);
      const executors = readdirSync(path.join(w, 'work', apps[0]!));
      expect(readFileSync(path.join(w, 'work', apps[0]!, executors[0]!, 'stderr'), 'utf8')).toContain('CoarseGrainedExecutorBackend');
    }

    // The word count gets the distribution itself by URI (the cached tarball, through the fetcher cache) and its
    // input through spark.mesos.uris.
    const wc = await sparkSubmit([
      '--conf', 'spark.executor.cores=1', '--total-executor-cores', '2', '--name', 'wordcount',
      '--conf', `spark.executor.uri=file://${sparkTgz}`, '--conf', 'spark.mesos.fetcherCache.enable=true',
      '--conf', `spark.mesos.uris=file://${jobs.words}`, `file://${jobs.wordcount}`, 'words.txt',
    ]);
    await waitState(wc, 'FINISHED', 240_000);
    const [wcSandbox] = sandboxes(wc);
    expect(existsSync(path.join(wcSandbox!, 'spark-3.5.8-bin-hadoop3', 'jars'))).toBe(true);
    const out = readFileSync(path.join(wcSandbox!, 'stdout'), 'utf8');
    expect(out).toContain('the: 3');
    expect(out).toContain('fox: 1');
    expect(new Set([1, 2].flatMap((n) => sandboxes(`${wc}-worker-${n}`)).map(agentOf)).size).toBe(2);
  }, 480_000);

  it('a supervised driver killed with kill -9 is relaunched (RETRYING, RUNNING); past maxRetries it ends FAILED', async () => {
    const id = await sparkSubmit(['--supervise', '--total-executor-cores', '1', '--name', 'sleeper', `file://${jobs.sleeper}`, '600']);
    await waitState(id, 'RUNNING', 120_000);
    let pid: number | undefined;
    await waitUntil(() => (pid = driverPid(id)) !== undefined, 120_000, 'the driver JVM');
    process.kill(pid!, 'SIGKILL');
    const seen = await waitState(id, 'RETRYING', 120_000, ['RUNNING']);
    await waitState(id, 'RUNNING', 120_000, seen);
    expect(seen).toEqual(['RUNNING', 'RETRYING', 'RUNNING']);
    // The relaunch's own status arrives once its task starts.
    await waitUntil(async () => (await driverState(id)).message.includes(`value: "${id}-retry-1"`), 60_000, 'the relaunched task reporting');
    await waitUntil(() => (pid = driverPid(`${id}-retry-1`)) !== undefined, 120_000, 'the relaunched driver JVM');
    // Only one copy of the driver runs.
    expect(driverPid(id)).toBeUndefined();
    process.kill(pid!, 'SIGKILL');
    await waitState(id, 'FAILED', 120_000);
    expect((await driverState(id)).message).toContain('state: TASK_FAILED');
  }, 400_000);

  it('kills a queued and a running driver as Spark does, and a dispatcher kill -9 + restart keeps both', async () => {
    // 64 driver cores fit no agent: the driver stays queued.
    const queued = await sparkSubmit(['--conf', 'spark.driver.cores=64', '--name', 'too-big', `file://${jobs.pi}`]);
    const sleeper = await sparkSubmit(['--total-executor-cores', '1', '--name', 'sleeper2', `file://${jobs.sleeper}`, '600']);
    await waitState(sleeper, 'RUNNING', 120_000);
    expect((await driverState(queued)).driverState).toBe('QUEUED');
    let pid: number | undefined;
    await waitUntil(() => (pid = driverPid(sleeper)) !== undefined, 120_000, 'the driver JVM');

    killDispatcher('SIGKILL');
    await new Promise<void>((r) => (dispatcher!.exitCode !== null || dispatcher!.signalCode !== null ? r() : dispatcher!.once('exit', () => r())));
    startDispatcher();
    await waitUntil(async () => (await fetch(`http://127.0.0.1:${port}/v1/submissions/status/${queued}`).catch(() => undefined)) !== undefined, 30_000, 'the restarted dispatcher');
    expect((await driverState(queued)).driverState).toBe('QUEUED');
    expect((await driverState(sleeper)).driverState).toBe('RUNNING');
    // Adopted, not relaunched: the same driver process still runs.
    await new Promise((r) => setTimeout(r, 3000));
    expect(driverPid(sleeper)).toBe(pid);
    expect((await driverState(sleeper)).driverState).toBe('RUNNING');

    // Until it registered again the dispatcher answers "Scheduler is not ready to take requests", as Spark's does.
    let k = { status: 0, json: {} as Record<string, unknown>, text: '' };
    await waitUntil(async () => (k = await rest('POST', `/v1/submissions/kill/${queued}`)).json.message !== 'Scheduler is not ready to take requests', 30_000, 'the dispatcher registered again');
    expect(k.json).toMatchObject({ action: 'KillSubmissionResponse', success: true, message: "Removed driver while it's still pending", submissionId: queued });
    expect((await driverState(queued)).driverState).toBe('KILLED');
    k = await rest('POST', `/v1/submissions/kill/${sleeper}`);
    expect(k.json).toMatchObject({ success: true, message: 'Killing running driver' });
    await waitState(sleeper, 'KILLED', 60_000);
    expect((await rest('POST', `/v1/submissions/kill/${sleeper}`)).json).toMatchObject({ success: false, message: 'Driver already terminated' });
    await waitUntil(() => driverPid(sleeper) === undefined, 30_000, 'the killed driver gone');
  }, 400_000);

  it('answers bad input with Spark error shapes', async () => {
    const good = { action: 'CreateSubmissionRequest', appArgs: [], appResource: `file://${jobs.pi}`, clientSparkVersion: '3.5.8', environmentVariables: {}, mainClass: '', sparkProperties: { 'spark.app.name': 'x' } };
    const cases: Array<[unknown, string]> = [
      [{ ...good, appResource: undefined }, "'appResource' is missing in message CreateSubmissionRequest."],
      [{ ...good, sparkProperties: {} }, "'spark.app.name' is missing in message CreateSubmissionRequest."],
      [{ ...good, sparkProperties: { 'spark.app.name': 'x', 'spark.driver.cores': 'two' } }, "Property 'spark.driver.cores' expected numeric value: actual was 'two'."],
      ['{not json', 'Malformed request: com.fasterxml.jackson.core.JsonParseException'],
    ];
    for (const [body, message] of cases) {
      const r = await rest('POST', '/v1/submissions/create', body);
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ action: 'ErrorResponse', serverSparkVersion: '3.5.8' });
      expect(String(r.json.message)).toContain(message);
      expect(r.text).toMatch(/^\{\n {2}"action" : "ErrorResponse",\n/);
    }
    expect((await rest('GET', '/v1/submissions/status/driver-20000101000000-9999')).json).toEqual({ action: 'SubmissionStatusResponse', driverState: 'NOT_FOUND', serverSparkVersion: '3.5.8', submissionId: 'driver-20000101000000-9999', success: false });
    expect((await rest('POST', '/v1/submissions/kill/driver-20000101000000-9999')).json).toMatchObject({ success: false, message: 'Cannot find driver' });
    const v = await rest('GET', '/v9/submissions/status/x');
    expect(v.status).toBe(468);
    expect(v.json).toMatchObject({ action: 'ErrorResponse', highestProtocolVersion: 'v1' });
    const unknown = await rest('POST', '/v1/submissions/create', { ...good, sparkProperties: { 'spark.app.name': 'x', 'spark.driver.cores': '64' }, surprise: true });
    expect(unknown.json).toMatchObject({ success: true, unknownFields: ['surprise'] });
    await rest('POST', `/v1/submissions/kill/${String(unknown.json.submissionId)}`);
  });

  it('the web UI lists the drivers with links to their sandboxes', async () => {
    const html = await (await fetch(`http://127.0.0.1:${webuiPort}/`)).text();
    expect(html).toContain('Finished Drivers');
    expect(html).toMatch(/<a href="http:\/\/127\.0\.0\.\d+:\d+\/files\/browse\?path=[^"]+">driver-\d{14}-\d{4}<\/a>/);
    const link = /<a href="(http:\/\/[^"]+\/files\/browse\?path=[^"]+)"/.exec(html)![1]!;
    expect((await fetch(link.replaceAll('&#38;', '&'))).ok).toBe(true);
  });
});
