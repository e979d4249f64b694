// Issue #21's TLS for the launcher and the frameworks' REST APIs. One cluster, every process with the same
// LIBPROCESS_SSL_* (a CA and a 127.0.0.1 certificate made by openssl): a real mesos-master and mesos-agent,
// the Marathon-style launcher and a kafka-mesos scheduler, all started from their bins.
// - the launcher serves /v2/apps over HTTPS only: an app POSTed there runs, and the agent's fetcher downloads
//   its https:// URI (a file the launcher's --static_dir serves) trusting LIBPROCESS_SSL_CA_FILE;
// - kafka-mesos' CLI reaches its https:// API with the CA, and is refused without it or with another CA;
// - a launcher and a scheduler given TLS without a usable certificate or key refuse to start (fail closed).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitUntil } from './harness/daemons.js';
import { killGroup, killTasksUnder, repo, request, spawnBin, tempDir, tlsEnv, tsxLoader, type Daemon } from './security-auth-cluster.js';
import { makeTestPki, type TestPki } from '@mesos-ts/wire/testing';

const tmp = tempDir();
let pki: TestPki;
let ca: Buffer;
let master: Daemon | undefined;
let agent: Daemon | undefined;
let launcher: Framework | undefined;
let kafka: Framework | undefined;
let launcherUrl = '';
let kafkaApi = '';

interface Framework {
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `frameworks/<pkg>/src/bin/<bin>.ts` through tsx in its own process group, output captured. */
function startFramework(pkg: string, bin: string, args: string[], env: Record<string, string | undefined>): Framework {
  const proc = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', tsxLoader, path.join(repo, 'frameworks', pkg, 'src', 'bin', `${bin}.ts`), ...args], {
    cwd: tmp.dir,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  proc.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    output: () => out,
    stop: () => killGroup(proc, exited),
  };
}

/** Runs a framework bin to completion (a CLI, or a start that must fail): its status and output. */
async function runToEnd(pkg: string, bin: string, args: string[], env: Record<string, string | undefined>, timeoutMs = 60_000): Promise<{ status: number | null; output: string }> {
  const f = startFramework(pkg, bin, args, env);
  const timer = setTimeout(() => void f.stop(), timeoutMs);
  const status = await new Promise<number | null>((resolve) => f.proc.once('exit', (code) => resolve(code)));
  clearTimeout(timer);
  return { status, output: f.output() };
}

async function started(f: Framework, ready: RegExp, what: string): Promise<RegExpExecArray> {
  let m: RegExpExecArray | null = null;
  await waitUntil(
    () => {
      if (f.proc.exitCode !== null) throw new Error(`${what} exited (${f.proc.exitCode}) before it was ready:\n${f.output()}`);
      m = ready.exec(f.output());
      return m !== null;
    },
    60_000,
    what,
  );
  return m!;
}

/** Paths of files called `name` under `dir` (the agent's sandboxes). */
function findFiles(dir: string, name: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && !e.isSymbolicLink()) walk(p);
      else if (e.name === name && statSync(p).isFile()) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/** A plain-HTTP GET; resolves with the status, or the connection error's text. */
function plainGet(url: string): Promise<string> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 10_000 }, (res) => {
      res.resume();
      resolve(String(res.statusCode));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (e) => resolve(`error: ${e.message}`));
  });
}

/** GET over HTTPS trusting the test CA, the JSON answer (the cluster helper's request() cuts off chunked 200s). */
function httpsJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ca, timeout: 15_000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${url}: ${res.statusCode} ${text}`))));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });
}

const NOT_TLS = { LIBPROCESS_SSL_ENABLED: undefined, LIBPROCESS_SSL_CERT_FILE: undefined, LIBPROCESS_SSL_KEY_FILE: undefined, LIBPROCESS_SSL_CA_FILE: undefined };

beforeAll(async () => {
  pki = makeTestPki(tmp.dir);
  ca = readFileSync(pki.ca);
  const env = tlsEnv(pki);
  master = await spawnBin('master', 'mesos-master', ['--port=0', '--ip=127.0.0.1', '--registry=in_memory', '--allocation_interval=50ms'], env, /"url":"https:\/\/([^"]+)".*"msg":"mesos-master is serving"/);
  const agentDir = path.join(tmp.dir, 'agent');
  const static_ = path.join(tmp.dir, 'static');
  mkdirSync(static_);
  writeFileSync(path.join(static_, 'hello.txt'), 'fetched over https\n');
  const [launcherPort, kafkaPort] = [await freePort(), await freePort()];
  launcher = startFramework('marathon', 'marathon', [`--master=${master.address}`, `--http_port=${launcherPort}`, '--hostname=127.0.0.1', `--work_dir=${path.join(tmp.dir, 'marathon')}`, `--static_dir=${static_}`], env);
  kafka = startFramework('kafka', 'kafka-mesos', ['scheduler', `--master=${master.address}`, `--api=http://127.0.0.1:${kafkaPort}`, '--bind-address=127.0.0.1', `--storage=file:${path.join(tmp.dir, 'kafka-mesos.json')}`], env);
  agent = await spawnBin(
    'agent',
    'mesos-agent',
    [`--master=${master.address}`, '--ip=127.0.0.1', '--port=0', `--work_dir=${agentDir}`, '--resources=cpus:2;mem:1024;disk:1024', '--registration_backoff_factor=50ms', '--switch_user=false', '--command_executor=process', `--fetcher_cache_dir=${path.join(tmp.dir, 'fetch')}`],
    env,
    /"address":"([^"]+)".*"msg":"agent started"/,
  );
  launcherUrl = `https://${(await started(launcher, /"api":"https:\/\/([^"]+)".*marathon launcher started/, 'the launcher'))[1]}`;
  kafkaApi = (await started(kafka, /scheduler started; API at (https:\/\/\S+)/, 'kafka-mesos'))[1]!;
}, 120_000);

afterAll(async () => {
  for (const d of [kafka, launcher, agent, master]) await d?.stop().catch(() => undefined);
  killTasksUnder(path.join(tmp.dir, 'agent'));
  tmp.remove();
});

describe('the launcher over HTTPS', () => {
  it('serves /v2/apps only over HTTPS verified with the CA; an app runs with an https:// URI the fetcher trusts', { timeout: 120_000 }, async () => {
    expect(launcherUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(await plainGet(`${launcherUrl.replace('https:', 'http:')}/v2/apps`)).toMatch(/^error/);
    await expect(request(`${launcherUrl}/v2/apps`, { ca: readFileSync(pki.otherCa) })).rejects.toThrow(/certificate/);
    const uri = `${launcherUrl}/hello.txt`;
    const created = await request(`${launcherUrl}/v2/apps`, { ca, body: { id: '/tls-hello', cmd: 'cat hello.txt && sleep 600', cpus: 0.1, mem: 32, instances: 1, fetch: [{ uri }] } });
    expect(created.status, created.body).toBe(201);
    await waitUntil(async () => {
      const app = (await httpsJson(`${launcherUrl}/v2/apps/tls-hello`)) as { app: { tasksRunning: number } };
      return app.app.tasksRunning === 1;
    }, 60_000, `the app's task to run (launcher output:\n${launcher!.output().slice(-2000)})`);
    // The agent's fetcher downloaded the launcher's file over HTTPS into the task's sandbox.
    const fetched = findFiles(path.join(tmp.dir, 'agent'), 'hello.txt');
    expect(fetched.length).toBe(1);
    expect(readFileSync(fetched[0]!, 'utf8')).toBe('fetched over https\n');
    // The framework advertises its web UI at its https URL.
    const state = (await httpsJson(`https://${master!.address}/master/state`)) as { frameworks: Array<{ name: string; webui_url: string }> };
    expect(state.frameworks.find((f) => f.name === 'marathon')?.webui_url).toBe(launcherUrl);
  });

  it('refuses to start with TLS on and no usable certificate or key (fail closed)', async () => {
    writeFileSync(path.join(tmp.dir, 'garbage.pem'), 'not a certificate\n');
    const bad = await runToEnd('marathon', 'marathon', [`--master=${master!.address}`, `--http_port=${await freePort()}`, `--work_dir=${path.join(tmp.dir, 'marathon-bad')}`], { ...tlsEnv(pki), LIBPROCESS_SSL_CERT_FILE: path.join(tmp.dir, 'garbage.pem') });
    expect(bad.status).toBe(1);
    expect(bad.output).toMatch(/LIBPROCESS_SSL_CERT_FILE=.*garbage\.pem.*not a usable PEM certificate/);
  });
});

describe('kafka-mesos over HTTPS', () => {
  const cli = (args: string[], env: Record<string, string | undefined>) => runToEnd('kafka', 'kafka-mesos', [...args, `--api=${kafkaApi}`], env);

  it('its CLI reaches the https:// API with LIBPROCESS_SSL_CA_FILE', async () => {
    const added = await cli(['broker', 'add', '0', '--cpus=0.1', '--mem=128', '--heap=64'], { ...NOT_TLS, LIBPROCESS_SSL_CA_FILE: pki.ca });
    expect(added.status, added.output).toBe(0);
    expect(added.output).toMatch(/broker added/);
    const listed = await cli(['broker', 'list'], { ...NOT_TLS, LIBPROCESS_SSL_CA_FILE: pki.ca });
    expect(listed.status, listed.output).toBe(0);
    expect(listed.output).toMatch(/id: 0/);
  });

  it('is refused without the CA, or trusting another CA', async () => {
    for (const env of [NOT_TLS, { ...NOT_TLS, LIBPROCESS_SSL_CA_FILE: pki.otherCa }]) {
      const r = await cli(['broker', 'list'], env);
      expect(r.status, r.output).toBe(1);
      expect(r.output).toMatch(/cannot reach the API.*LIBPROCESS_SSL_CA_FILE must name the CA/);
    }
  });

  it('the scheduler refuses to start with TLS on and no key (fail closed)', async () => {
    const bad = await runToEnd('kafka', 'kafka-mesos', ['scheduler', `--master=${master!.address}`, `--api=http://127.0.0.1:${await freePort()}`, `--storage=file:${path.join(tmp.dir, 'kafka-bad.json')}`], { ...tlsEnv(pki), LIBPROCESS_SSL_KEY_FILE: '' });
    expect(bad.status).toBe(1);
    expect(bad.output).toMatch(/LIBPROCESS_SSL_ENABLED=true needs LIBPROCESS_SSL_CERT_FILE and LIBPROCESS_SSL_KEY_FILE/);
  });
});
