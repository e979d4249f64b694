// Probes against real processes and real servers on 127.0.0.1.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commandProbe } from './command-probe.js';
import { httpProbe, httpUrl } from './http-probe.js';
import { tcpProbe } from './tcp-probe.js';

const run = (probe: (s: AbortSignal) => Promise<{ healthy: boolean; message: string }>) => probe(new AbortController().signal);

async function freePort(): Promise<number> {
  const s = createTcpServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

/** True while /proc shows the pid as a live (non-zombie) process. */
async function alive(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('commandProbe', () => {
  let sandbox: string;
  beforeAll(async () => {
    sandbox = await mkdtemp(join(tmpdir(), 'health-cmd-'));
  });
  afterAll(async () => {
    await rm(sandbox, { recursive: true, force: true });
  });

  it.each([
    ['true', true, 'command exited with code 0'],
    ['exit 3', false, 'command exited with code 3'],
    ['kill -9 $$', false, 'command was killed by SIGKILL'],
    ['test "$(pwd)" = "$SANDBOX_EXPECTED" && test "$FROM_TASK" = task && test "$FROM_CHECK" = check', true, 'command exited with code 0'],
  ])('sh -c %s', async (value, healthy, message) => {
    const probe = commandProbe(
      { value, environment: { variables: [{ name: 'FROM_CHECK', value: 'check' }] } },
      { sandbox, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', FROM_TASK: 'task', SANDBOX_EXPECTED: sandbox } },
    );
    expect(await run(probe)).toEqual({ healthy, message });
  });

  it('runs the argv form without a shell', async () => {
    const probe = commandProbe({ shell: false, value: '/bin/sh', arguments: ['sh', '-c', 'exit 4'] }, { sandbox, env: {} });
    expect(await run(probe)).toEqual({ healthy: false, message: 'command exited with code 4' });
  });

  it('reports a command that cannot start', async () => {
    const probe = commandProbe({ shell: false, value: '/nonexistent/check' }, { sandbox, env: {} });
    expect((await run(probe)).message).toMatch(/could not run health check command: spawn \/nonexistent\/check ENOENT/);
  });

  it('kills the whole process group on abort', async () => {
    const pidFile = join(sandbox, 'child.pid');
    const probe = commandProbe({ value: `sleep 30 & echo $! > ${pidFile}; wait` }, { sandbox, env: { PATH: process.env.PATH ?? '' } });
    const ac = new AbortController();
    const pending = probe(ac.signal);
    await expect.poll(() => readFile(pidFile, 'utf8').catch(() => ''), { timeout: 5000 }).toMatch(/^\d+\n$/);
    const sleeper = Number(await readFile(pidFile, 'utf8'));
    expect(await alive(sleeper)).toBe(true);
    ac.abort();
    expect(await pending).toEqual({ healthy: false, message: 'aborted' });
    await expect.poll(() => alive(sleeper), { timeout: 5000 }).toBe(false);
  });
});

describe('httpProbe', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      if (req.url === '/hang') return; // never answers
      const status = Number(req.url?.slice(1)) || 200;
      res.writeHead(status, status >= 300 && status < 400 ? { location: '/500' } : {}).end(req.url);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it.each([
    ['/200', true],
    ['/204', true],
    ['/302', true], // redirects are healthy without following them (200-399)
    ['/399', true],
    ['/400', false],
    ['/404', false],
    ['/500', false],
  ])('GET %s healthy=%s', async (path, healthy) => {
    const result = await run(httpProbe({ port, path }));
    expect(result).toEqual({ healthy, message: `GET http://127.0.0.1:${port}${path} answered HTTP ${path.slice(1)}` });
  });

  it('gives up on abort and closes its connection', async () => {
    const ac = new AbortController();
    const pending = httpProbe({ port, path: '/hang' })(ac.signal);
    await expect.poll(() => new Promise((r) => server.getConnections((_e, n) => r(n))), { timeout: 2000 }).toBe(1);
    ac.abort();
    expect(await pending).toMatchObject({ healthy: false, message: expect.stringMatching(/failed: .*abort/i) });
    await expect.poll(() => new Promise((r) => server.getConnections((_e, n) => r(n))), { timeout: 2000 }).toBe(0);
  });

  it('fails when nothing listens', async () => {
    const closed = await freePort();
    const result = await run(httpProbe({ port: closed, path: '/' }));
    expect(result.healthy).toBe(false);
    expect(result.message).toBe(`GET http://127.0.0.1:${closed}/ failed: connect ECONNREFUSED 127.0.0.1:${closed}`);
  });

  it.each([
    [{ port: 80 }, 'http://127.0.0.1:80'],
    [{ port: 80, path: 'health' }, 'http://127.0.0.1:80/health'],
    [{ port: 443, scheme: 'https', path: '/h' }, 'https://127.0.0.1:443/h'],
    [{ port: 80, protocol: 'IPv6' as const, path: '/' }, 'http://[::1]:80/'],
  ])('URL of %j is %s', (info, url) => {
    expect(httpUrl(info)).toBe(url);
  });
});

describe('tcpProbe', () => {
  let server: TcpServer;
  let port: number;
  beforeAll(async () => {
    server = createTcpServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('is healthy when the port accepts', async () => {
    expect(await run(tcpProbe({ port }))).toEqual({ healthy: true, message: `connected to 127.0.0.1:${port}` });
  });

  it('fails when nothing listens', async () => {
    const closed = await freePort();
    expect(await run(tcpProbe({ port: closed }))).toEqual({
      healthy: false,
      message: `connect to 127.0.0.1:${closed} failed: connect ECONNREFUSED 127.0.0.1:${closed}`,
    });
  });
});
