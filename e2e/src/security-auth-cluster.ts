// The locked-down cluster of security-auth.spec.ts: a CA and a 127.0.0.1 server certificate made with openssl,
// a credentials file, ACLs with permissive:false, and a real mesos-master and mesos-agent (their bins through
// tsx) serving HTTPS with every --authenticate_* flag on. Plus a small HTTPS client that reports status and
// body (a 200 stream is closed at once), for replaying attacks as raw requests.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { basicAuthorization } from '@mesos-ts/wire';
import { waitUntil } from './harness/daemons.js';
import type { TestPki } from '@mesos-ts/wire/testing';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const tsxLoader = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');

/** Principals of the test: the framework, another tenant's framework, the operator and the agent. */
export const SECRETS = { fw: 'fw-secret', evil: 'evil-secret', ops: 'ops-secret', agent1: 'agent-secret' } as const;
export type Principal = keyof typeof SECRETS;
export const auth = (p: Principal): string => basicAuthorization(p, SECRETS[p]);

export const ACLS = {
  permissive: false,
  register_frameworks: [
    { principals: { values: ['fw'] }, roles: { values: ['web'] } },
    { principals: { values: ['evil'] }, roles: { values: ['evil'] } },
  ],
  run_tasks: [{ principals: { values: ['fw', 'evil'] }, users: { type: 'ANY' } }],
  teardown_frameworks: [{ principals: { values: ['ops'] }, framework_principals: { type: 'ANY' } }],
  reserve_resources: [{ principals: { values: ['ops'] }, roles: { values: ['ops-role'] } }],
  unreserve_resources: [{ principals: { values: ['ops'] }, reserver_principals: { values: ['ops'] } }],
  create_volumes: [{ principals: { values: ['ops'] }, roles: { values: ['ops-role'] } }],
  destroy_volumes: [{ principals: { values: ['ops'] }, creator_principals: { values: ['ops'] } }],
  update_weights: [{ principals: { values: ['ops'] }, roles: { values: ['web'] } }],
  update_quotas: [{ principals: { values: ['ops'] }, roles: { values: ['web'] } }],
  mark_agents_gone: [{ principals: { values: ['ops'] }, agents: { type: 'ANY' } }],
  register_agents: [{ principals: { values: ['agent1'] }, agents: { type: 'ANY' } }],
  view_frameworks: [{ principals: { values: ['ops', 'fw'] }, users: { type: 'ANY' } }],
  view_tasks: [{ principals: { values: ['ops', 'fw'] }, users: { type: 'ANY' } }],
  view_executors: [{ principals: { values: ['ops', 'fw'] }, users: { type: 'ANY' } }],
  view_flags: [{ principals: { values: ['ops'] }, flags: { type: 'ANY' } }],
  access_sandboxes: [{ principals: { values: ['ops'] }, users: { type: 'ANY' } }],
  get_endpoints: [{ principals: { values: ['ops'] }, paths: { values: ['/metrics/snapshot'] } }],
};


export function tlsEnv(pki: TestPki): Record<string, string> {
  return { LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CERT_FILE: pki.cert, LIBPROCESS_SSL_KEY_FILE: pki.key, LIBPROCESS_SSL_CA_FILE: pki.ca };
}

/** Kills a detached child's whole process group (tasks included) and waits for the child to exit. */
export async function killGroup(proc: ChildProcess, exited: Promise<void>): Promise<void> {
  if (proc.exitCode === null && proc.signalCode === null) {
    try {
      process.kill(-proc.pid!, 'SIGKILL');
    } catch {
      proc.kill('SIGKILL');
    }
  }
  await exited;
}

export interface Daemon {
  proc: ChildProcess;
  address: string;
  log(): string;
  stop(): Promise<void>;
}

/** Spawns a bin with `env` added, resolving once `ready` matches its log (capturing host:port). */
export async function spawnBin(pkg: string, bin: string, flags: string[], env: Record<string, string>, ready: RegExp): Promise<Daemon> {
  const proc = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsxLoader, path.join(repo, 'packages', pkg, 'src', 'bin', `${bin}.ts`), ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
    detached: true,
  });
  let err = '';
  proc.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const stop = (): Promise<void> => killGroup(proc, exited);
  let address = '';
  try {
    await waitUntil(
      () => {
        if (proc.exitCode !== null) throw new Error(`${bin} exited (${proc.exitCode}) before it was ready:\n${err}`);
        const m = ready.exec(err);
        if (m) address = m[1]!;
        return m !== null;
      },
      30_000,
      `${bin} to start`,
    );
  } catch (e) {
    await stop();
    throw e;
  }
  return { proc, address, log: () => err, stop };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTPS request trusting `ca`; a 200 answer (an event stream) is closed after its head. */
export function request(url: string, options: { ca: string | Buffer; method?: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer> {
  const body = options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        ca: options.ca,
        headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json', Accept: 'application/json' }), ...options.headers },
        timeout: 15_000,
      },
      (res) => {
        if (res.statusCode === 200 && (res.headers['content-length'] === undefined || url.includes('/api/v1/scheduler'))) {
          res.destroy();
          resolve({ status: 200, headers: res.headers, body: '' });
          return;
        }
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mesos-security-auth-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The first RecordIO record of a streaming POST (e.g. operator SUBSCRIBE), parsed as JSON; then hangs up. */
export function firstRecord(url: string, options: { ca: string | Buffer; body: unknown; headers?: Record<string, string> }): Promise<{ status: number; record: unknown }> {
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: 'POST', ca: options.ca, headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...options.headers }, timeout: 15_000 }, (res) => {
      let buf = '';
      res.on('data', (c: Buffer) => {
        buf += c.toString();
        const nl = buf.indexOf('\n');
        if (res.statusCode !== 200 || nl < 0) return;
        const len = Number(buf.slice(0, nl));
        if (Buffer.byteLength(buf.slice(nl + 1)) < len) return;
        res.destroy();
        resolve({ status: 200, record: JSON.parse(buf.slice(nl + 1, nl + 1 + len)) });
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, record: buf }));
      res.on('error', () => undefined);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(JSON.stringify(options.body));
  });
}

/**
 * Runs a CLI bin of packages/cli to completion without blocking this process (spawnSync would stop the
 * in-process framework from answering its offers while the CLI waits for one).
 */
export function runCli(bin: string, args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsxLoader, path.join(repo, 'packages', 'cli', 'src', 'bin', `${bin}.ts`), ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Kills (by pid) task and executor processes whose sandbox lies under `dir` (their MESOS_SANDBOX says so). */
export function killTasksUnder(dir: string): void {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (!readFileSync(`/proc/${name}/environ`, 'utf8').includes(`MESOS_SANDBOX=${dir}/`)) continue;
      process.kill(Number(name), 'SIGKILL');
    } catch {
      // gone already, or not ours to read
    }
  }
}
