// A throw-away single-node Slurm (Debian's slurm-wlm 22.05 + munge) for the peer bench: munged on a private
// socket and key, slurmctld and slurmd in a fresh network namespace holding only `lo` (so nothing they open can
// be reached from, or reach, anything but loopback), every file under one temp directory. The daemons enter the
// namespace with `nsenter --net` rather than `ip netns exec`, which would remount /sys and hide /sys/fs/cgroup
// from slurmd. Clients (sbatch, srun, squeue) run in the same namespace. stop() kills every process, removes the
// namespace and the directory.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PROGRAMS = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'srun', 'squeue', 'nsenter', 'ip'];

/** What is missing to run Slurm here, with the command that installs it; undefined when nothing is. */
export function slurmPrerequisiteProblem(): string | undefined {
  if (process.getuid?.() !== 0) return 'the Slurm peer bench needs root (network namespaces, munged, slurmd)';
  const missing = PROGRAMS.filter((p) => spawnSync('sh', ['-c', `command -v ${p}`]).status !== 0);
  if (missing.length === 0) return undefined;
  return `missing ${missing.join(', ')}: run  apt-get update && apt-get install -y slurm-wlm munge iproute2 util-linux`;
}

export interface SlurmOptions {
  /** Jobs allowed per CPU (the partition's OverSubscribe=FORCE:<n>). */
  jobsPerCpu: number;
}

export class SlurmCluster {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), 'mesos-ts-slurm-'));
  readonly netns = `mesos-ts-slurm-${process.pid}`;
  readonly cpus = os.cpus().length;
  private readonly daemons: ChildProcess[] = [];
  private readonly conf = path.join(this.dir, 'slurm.conf');
  private mungePid: number | undefined;

  constructor(private readonly options: SlurmOptions) {}

  async start(): Promise<void> {
    const { dir } = this;
    chmodSync(dir, 0o755); // munged insists that everyone may traverse to its socket
    for (const sub of ['key', 'run', 'state', 'spool', 'log']) mkdirSync(path.join(dir, sub));
    chmodSync(path.join(dir, 'key'), 0o700);
    writeFileSync(path.join(dir, 'key', 'munge.key'), randomBytes(128), { mode: 0o400 });
    const socket = path.join(dir, 'run', 'munge.sock');
    execFileSync('munged', [
      '--force', `--socket=${socket}`, `--key-file=${path.join(dir, 'key', 'munge.key')}`, `--pid-file=${path.join(dir, 'run', 'munged.pid')}`,
      `--log-file=${path.join(dir, 'log', 'munged.log')}`, `--seed-file=${path.join(dir, 'run', 'munged.seed')}`,
    ]);
    this.mungePid = Number(readFileSync(path.join(dir, 'run', 'munged.pid'), 'utf8').trim());
    execFileSync('ip', ['netns', 'add', this.netns]);
    execFileSync('ip', ['-n', this.netns, 'link', 'set', 'lo', 'up']);
    // glibc's getaddrinfo(AI_ADDRCONFIG), which Slurm uses, answers nothing for IPv4 unless some IPv4 address other
    // than 127.0.0.1 is configured; a second loopback address on `lo` satisfies it without leaving loopback.
    execFileSync('ip', ['-n', this.netns, 'addr', 'add', '127.0.0.2/8', 'dev', 'lo']);
    writeFileSync(this.conf, slurmConf(dir, socket, this.cpus, this.options.jobsPerCpu));
    this.daemons.push(this.spawnInNetns('slurmctld', ['-D', '-f', this.conf]), this.spawnInNetns('slurmd', ['-D', '-f', this.conf]));
    await this.waitUntil(() => /\bidle\b/.test(this.client('sinfo', ['-h', '-o', '%T'])), 30_000, 'the Slurm node to be idle');
  }

  /** Runs a Slurm client in the namespace and returns its stdout; throws with its stderr when it fails. */
  client(program: string, args: string[]): string {
    const r = spawnSync('nsenter', [`--net=/run/netns/${this.netns}`, program, ...args], { env: this.env(), encoding: 'utf8', cwd: this.dir });
    if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (exit ${r.status}): ${r.stderr.trim()}`);
    return r.stdout;
  }

  /** Runs a Slurm client asynchronously (for timing many submissions without blocking the event loop's timers). */
  clientAsync(program: string, args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('nsenter', [`--net=/run/netns/${this.netns}`, program, ...args], { env: this.env(), cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.once('error', reject);
      child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${program} ${args.join(' ')} failed (exit ${code}): ${err.trim()}`))));
    });
  }

  /** Jobs still pending or running. */
  queued(): number {
    return this.client('squeue', ['-h', '-o', '%i']).split('\n').filter((l) => l.trim() !== '').length;
  }

  /** Jobs that completed with a non-zero exit, per slurmctld's log (no accounting database is configured). */
  failedJobs(): number {
    const log = readFileSync(path.join(this.dir, 'log', 'slurmctld.log'), 'utf8');
    return [...log.matchAll(/WEXITSTATUS (\d+)/g)].filter((m) => m[1] !== '0').length;
  }

  async waitUntil(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!probe()) {
      if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; logs in ${this.dir}/log`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async stop(): Promise<void> {
    for (const d of this.daemons) d.kill('SIGKILL');
    await Promise.all(this.daemons.map((d) => (d.exitCode === null && d.signalCode === null ? new Promise((r) => d.once('exit', r)) : undefined)));
    // Job steps slurmd forked (slurmstepd) are in the namespace too; killing by namespace leaves none behind.
    spawnSync('ip', ['netns', 'pids', this.netns], { encoding: 'utf8' }).stdout?.split('\n').filter(Boolean).forEach((pid) => tryKill(Number(pid)));
    if (this.mungePid !== undefined) tryKill(this.mungePid);
    spawnSync('ip', ['netns', 'del', this.netns]);
    rmSync(this.dir, { recursive: true, force: true });
  }

  /**
   * A daemon in the namespace, its stderr in log/<program>.err: a file, not a pipe, because the bench blocks its
   * event loop in spawnSync while it times Slurm's clients, and a daemon stuck writing to a full pipe stops answering.
   */
  private spawnInNetns(program: string, args: string[]): ChildProcess {
    const err = openSync(path.join(this.dir, 'log', `${program}.err`), 'a');
    try {
      return spawn('nsenter', [`--net=/run/netns/${this.netns}`, program, ...args], { env: this.env(), cwd: this.dir, stdio: ['ignore', 'ignore', err] });
    } finally {
      closeSync(err);
    }
  }

  private env(): NodeJS.ProcessEnv {
    return { ...process.env, SLURM_CONF: this.conf };
  }
}

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * One node with this machine's CPUs, one partition oversubscribed `jobsPerCpu` times, the scheduler tuned for
 * throughput as Slurm's high-throughput guide recommends (no batch delay, deep queue, no accounting, light
 * process tracking), job records kept 5 s after they end.
 */
function slurmConf(dir: string, mungeSocket: string, cpus: number, jobsPerCpu: number): string {
  const p = (f: string): string => path.join(dir, f);
  return [
    'ClusterName=mesosts',
    'SlurmctldHost=localhost(127.0.0.1)',
    'SlurmctldPort=6817',
    'SlurmdPort=6818',
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    `AuthInfo=socket=${mungeSocket}`,
    'CredType=cred/munge',
    `StateSaveLocation=${p('state')}`,
    `SlurmdSpoolDir=${p('spool')}`,
    `SlurmctldPidFile=${p('run/slurmctld.pid')}`,
    `SlurmdPidFile=${p('run/slurmd.pid')}`,
    `SlurmctldLogFile=${p('log/slurmctld.log')}`,
    `SlurmdLogFile=${p('log/slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'MpiDefault=none',
    'ReturnToService=2',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'SchedulerType=sched/builtin',
    'SchedulerParameters=batch_sched_delay=0,default_queue_depth=10000,max_rpc_cnt=0',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'MaxJobCount=100000',
    'MinJobAge=5',
    `NodeName=localhost NodeAddr=127.0.0.1 CPUs=${cpus} RealMemory=1000 State=UNKNOWN`,
    `PartitionName=bench Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:${jobsPerCpu}`,
    '',
  ].join('\n');
}
