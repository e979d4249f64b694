// Real mesos-master processes run with --zk (and a real mesos-agent pointed at all of them), for the HA
// scenarios in ha-*.spec.ts: fixed ports picked up front (the agent's --master list names every master),
// each master's election state read over HTTP (/metrics/snapshot master/elected, /master/redirect).
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitUntil, type Daemon } from './harness/daemons.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const tsxLoader = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist', 'loader.mjs');

export interface HaMaster extends Daemon {
  readonly port: number;
  /** Resolves with the exit code (or signal) once the process exited. */
  readonly exited: Promise<number | string>;
}

/** Spawns a bin through tsx; resolves once `readyLine` appeared on its stderr. */
export async function spawnBin(pkg: string, bin: string, flags: string[], readyLine: RegExp, timeoutMs = 20_000): Promise<Daemon & { exited: Promise<number | string> }> {
  const proc = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsxLoader, path.join(repo, 'packages', pkg, 'src', 'bin', `${bin}.ts`), ...flags], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | string>((resolve) => proc.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  let address = '';
  const daemon = {
    proc,
    get address() {
      return address;
    },
    log: () => err,
    exited,
    async kill9() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await waitUntil(() => {
      if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${bin} exited (${proc.exitCode ?? proc.signalCode}) before it was ready:\n${err}`);
      const m = readyLine.exec(err);
      if (m) address = m[1]!;
      return m !== null;
    }, timeoutMs, `${bin} to log ${readyLine}`);
  } catch (e) {
    await daemon.kill9();
    throw e;
  }
  return daemon;
}

/** What tests add to the defaults: short sessions and fast allocation. The bench passes [] (default flags). */
export const TEST_MASTER_FLAGS: readonly string[] = ['--zk_session_timeout=2secs', '--allocation_interval=50ms'];

/** Starts `count` masters contending at `zk` (ports fixed up front). */
export async function startMasters(zk: string, count: number, extra: string[] = [], base: readonly string[] = TEST_MASTER_FLAGS): Promise<HaMaster[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) ports.push(await freePort());
  return Promise.all(ports.map((port) => startMaster(zk, port, extra, base)));
}

export async function startMaster(zk: string, port: number, extra: string[] = [], base: readonly string[] = TEST_MASTER_FLAGS): Promise<HaMaster> {
  // Later flags win: `extra` may override the session timeout.
  const flags = [`--zk=${zk}`, '--quorum=2', '--ip=127.0.0.1', `--port=${port}`, ...base, ...extra];
  const d = await spawnBin('master', 'mesos-master', flags, /"url":"http:\/\/([^"]+)".*"msg":"mesos-master is serving"/);
  return Object.assign(d, { port });
}

/** master/elected of one master (undefined when it does not answer). */
export async function elected(m: HaMaster): Promise<number | undefined> {
  const r = await fetch(`http://127.0.0.1:${m.port}/metrics/snapshot`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
  if (r?.status !== 200) return undefined;
  return ((await r.json()) as Record<string, number>)['master/elected'];
}

/** The one master of `ms` reporting master/elected 1, once exactly one does. */
export async function waitForLeader(ms: readonly HaMaster[], timeoutMs: number): Promise<HaMaster> {
  let leader: HaMaster | undefined;
  await waitUntil(async () => {
    const flags = await Promise.all(ms.map((m) => elected(m)));
    const leaders = ms.filter((_, i) => flags[i] === 1);
    leader = leaders.length === 1 ? leaders[0] : undefined;
    return leader !== undefined;
  }, timeoutMs, 'exactly one elected master');
  return leader!;
}

/** GET without following redirects. */
export async function getRaw(url: string): Promise<{ status: number; location: string | null }> {
  const r = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(2_000) });
  await r.arrayBuffer();
  return { status: r.status, location: r.headers.get('location') };
}
