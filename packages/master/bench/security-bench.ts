// Request latency of the master with TLS and authentication on versus off, in one run: two mesos-master child
// processes (plain; LIBPROCESS_SSL_* + --authenticate_http_* + --credentials + --acls), the same sequential
// requests against each, medians and their ratio. Workloads: operator GET_HEALTH over a kept-alive connection
// (HTTP Basic checked per request, ACL-free call), /master/state (authenticated, ACL-filtered), and GET_HEALTH on
// a new connection per request (TCP + TLS handshake each time).
// Usage: npm run bench:security [-- --requests=2000 --connections=300 --rounds=3]
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import { join } from 'node:path';

const arg = (name: string, def: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? def);
const REQUESTS = arg('requests', 2000);
const CONNECTIONS = arg('connections', 300);
const ROUNDS = arg('rounds', 3);

const dir = mkdtempSync(join(os.tmpdir(), 'security-bench-'));
const file = (n: string): string => join(dir, n);

function certificates(): void {
  const ssl = (...a: string[]): void => void execFileSync('openssl', a, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', file('ca.key'), '-out', file('ca.pem'), '-days', '1', '-subj', '/CN=bench CA');
  ssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(file('ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  ssl('x509', '-req', '-in', file('server.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca.key'), '-CAcreateserial', '-out', file('server.pem'), '-days', '1', '-extfile', file('ext.cnf'));
  writeFileSync(file('credentials'), 'ops ops-secret\n');
  writeFileSync(file('acls.json'), JSON.stringify({ permissive: false, view_frameworks: [{ principals: { values: ['ops'] }, users: { type: 'ANY' } }], view_tasks: [{ principals: { values: ['ops'] }, users: { type: 'ANY' } }] }));
}

function startMaster(secure: boolean): Promise<{ child: ChildProcess; url: string }> {
  const bin = join(import.meta.dirname, '../src/bin/mesos-master.ts');
  const flags = ['--port=0', '--registry=in_memory'];
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (secure) {
    flags.push('--authenticate_http_readonly', '--authenticate_http_readwrite', '--authenticate_frameworks', `--credentials=${file('credentials')}`, `--acls=file://${file('acls.json')}`);
    Object.assign(env, { LIBPROCESS_SSL_ENABLED: 'true', LIBPROCESS_SSL_CERT_FILE: file('server.pem'), LIBPROCESS_SSL_KEY_FILE: file('server.key') });
  }
  const child = spawn(process.execPath, ['--conditions=@mesos-ts/source', '--import', 'tsx', bin, ...flags], { stdio: ['ignore', 'ignore', 'pipe'], env });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
      const line = err.split('\n').find((l) => l.includes('mesos-master is serving'));
      if (line) resolve({ child, url: (JSON.parse(line) as { url: string }).url });
    });
    child.on('exit', (code) => reject(new Error(`master exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error(`master did not start: ${err}`)), 20_000).unref();
  });
}

interface Target {
  url: string;
  secure: boolean;
}

let caPem: Buffer | undefined;

function once(t: Target, path: string, body: string | undefined, agent: http.Agent | false): Promise<number> {
  const started = process.hrtime.bigint();
  const lib = t.secure ? https : http;
  const headers: Record<string, string> = body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : {};
  if (t.secure) headers.Authorization = `Basic ${Buffer.from('ops:ops-secret').toString('base64')}`;
  return new Promise((resolve, reject) => {
    const req = lib.request(`${t.url}${path}`, { method: body ? 'POST' : 'GET', agent, headers, ...(t.secure ? { ca: (caPem ??= readFileSync(file('ca.pem'))) } : {}) }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`${path} answered ${res.statusCode}`));
      res.resume();
      res.on('end', () => resolve(Number(process.hrtime.bigint() - started) / 1e6));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function median(t: Target, path: string, body: string | undefined, n: number, keepAlive: boolean): Promise<number> {
  const agent = keepAlive ? new (t.secure ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 1 }) : false;
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(await once(t, path, body, agent));
  if (agent) agent.destroy();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const HEALTH = JSON.stringify({ type: 'GET_HEALTH' });

async function main(): Promise<void> {
  certificates();
  const plain = await startMaster(false);
  const secure = await startMaster(true);
  try {
    const p: Target = { url: plain.url, secure: false };
    const s: Target = { url: secure.url, secure: true };
    const workloads: Array<[string, (t: Target) => Promise<number>]> = [
      [`operator GET_HEALTH, kept-alive (${REQUESTS})`, (t) => median(t, '/api/v1', HEALTH, REQUESTS, true)],
      [`/master/state, kept-alive (${REQUESTS})`, (t) => median(t, '/master/state', undefined, REQUESTS, true)],
      [`operator GET_HEALTH, new connection each (${CONNECTIONS})`, (t) => median(t, '/api/v1', HEALTH, CONNECTIONS, false)],
    ];
    console.log(`security bench: median request latency, plain vs TLS + HTTP Basic + ACLs, ${ROUNDS} rounds (median of round medians)`);
    for (const [name, run] of workloads) {
      await run(p); // warm-up
      await run(s);
      const off: number[] = [];
      const on: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        off.push(await run(p));
        on.push(await run(s));
      }
      const mid = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
      console.log(`  ${name.padEnd(52)} off ${mid(off).toFixed(3)} ms   on ${mid(on).toFixed(3)} ms   ratio ${(mid(on) / mid(off)).toFixed(2)}x`);
    }
  } finally {
    plain.child.kill('SIGKILL');
    secure.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
