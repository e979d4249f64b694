// Runs the CLI bins (from sources, with tsx) as child processes for the cli-*.spec.ts scenarios: mesos-local
// as the cluster, mesos and mesos-execute as one-shot commands. Every process is bounded by a timeout.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const TSX = import.meta.resolve('tsx');
const bin = (name: string): string => fileURLToPath(new URL(`../../packages/cli/src/bin/${name}.ts`, import.meta.url));
const argvOf = (name: string, args: readonly string[]): string[] => ['--conditions=@mesos-ts/source', '--import', TSX, bin(name), ...args];

export interface Result {
  code: number | null;
  out: string;
  err: string;
  ms: number;
}

export interface Running {
  child: ChildProcess;
  /** Resolves when the process has exited and its output is read. */
  result: Promise<Result>;
}

/** Starts `mesos`, `mesos-execute` or `mesos-local` (SIGKILLed after `timeoutMs`). */
export function spawnCli(name: 'mesos' | 'mesos-execute' | 'mesos-local', args: readonly string[], env: Record<string, string> = {}, timeoutMs = 30_000): Running {
  const started = Date.now();
  const child = spawn(process.execPath, argvOf(name, args), { env: { ...process.env, MESOS_MASTER: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const result = new Promise<Result>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, ms: Date.now() - started });
    });
  });
  return { child, result };
}

/** Runs a command to completion. */
export const runCli = (name: 'mesos' | 'mesos-execute' | 'mesos-local', args: readonly string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Result> =>
  spawnCli(name, args, env, timeoutMs).result;

export interface LocalCluster {
  child: ChildProcess;
  /** `127.0.0.1:port` of the master. */
  master: string;
  /** What mesos-local printed so far. */
  output(): string;
  readyMs: number;
  /** Sends the signal and waits for the exit (SIGKILL after `timeoutMs`); resolves to the exit code. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>;
}

/** Starts mesos-local on ephemeral ports and waits for its "ready" banner. */
export async function startLocal(workDir: string, args: readonly string[] = [], timeoutMs = 30_000): Promise<LocalCluster> {
  const started = Date.now();
  const child = spawn(process.execPath, argvOf('mesos-local', ['--port=0', `--work_dir=${workDir}`, ...args]), { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const stop = async (signal: NodeJS.Signals = 'SIGINT', limitMs = 20_000): Promise<number | null> => {
    if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    const code = await exited;
    clearTimeout(timer);
    return code;
  };
  const deadline = Date.now() + timeoutMs;
  let master: string | undefined;
  while (master === undefined) {
    master = /master {2}http:\/\/(\S+)/.exec(out)?.[1];
    if (master !== undefined) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop('SIGKILL');
      throw new Error(`mesos-local did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, master, output: () => out, readyMs: Date.now() - started, stop };
}

/** Pids of every live descendant of `pid` (Linux /proc). */
export function descendants(pid: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // exited while listing
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const [child, pp] of parent) {
      if (pp === p) {
        out.push(child);
        walk(child);
      }
    }
  };
  walk(pid);
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
