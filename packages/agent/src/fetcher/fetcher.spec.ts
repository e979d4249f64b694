// The fetcher against a real HTTP server on 127.0.0.1 and real archives made with tar/zip/gzip.
import { execFileSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FetchError, Fetcher } from './index.js';

let root: string; // everything this file writes
let files: string; // what the server serves
let server: Server;
let base: string;
const hits = new Map<string, number>();
/** Paths whose response sends part of the body and then stalls until the socket closes. */
const STALL = '/stall.bin';

function sh(cwd: string, cmd: string, ...args: string[]): void {
  execFileSync(cmd, args, { cwd, stdio: 'ignore' });
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'fetcher-spec-'));
  files = join(root, 'served');
  const content = join(root, 'content');
  await mkdir(join(content, 'sub'), { recursive: true });
  await mkdir(files);
  await writeFile(join(content, 'hello.txt'), 'hello\n');
  await writeFile(join(content, 'sub', 'nested.txt'), 'nested\n');
  sh(content, 'tar', '-cf', join(files, 'a.tar'), 'hello.txt', 'sub');
  sh(content, 'tar', '-czf', join(files, 'a.tar.gz'), 'hello.txt', 'sub');
  sh(content, 'tar', '-czf', join(files, 'a.tgz'), 'hello.txt', 'sub');
  sh(content, 'tar', '-cjf', join(files, 'a.tar.bz2'), 'hello.txt', 'sub');
  sh(content, 'tar', '-cJf', join(files, 'a.tar.xz'), 'hello.txt', 'sub');
  sh(content, 'zip', '-q', '-r', join(files, 'a.zip'), 'hello.txt', 'sub');
  await writeFile(join(files, 'notes.txt.gz'), execFileSync('gzip', ['-c', join(content, 'hello.txt')]));
  await writeFile(join(files, 'tool.sh'), '#!/bin/sh\necho tool\n');
  await writeFile(join(files, 'broken.tgz'), 'this is not a tarball');
  for (const name of ['100a', '100b', '100c']) await writeFile(join(files, name), Buffer.alloc(100, name));

  // A tar whose member climbs out: stored verbatim with -P from a directory one level down.
  const evilSrc = join(root, 'evil-src', 'inner');
  await mkdir(evilSrc, { recursive: true });
  await writeFile(join(root, 'evil-src', 'evil'), 'escaped\n');
  sh(evilSrc, 'tar', '-cPf', join(files, 'evil.tar'), '../evil');
  // A tar that plants a symlink to a directory outside and then writes through it.
  const linkSrc = join(root, 'link-src');
  await mkdir(linkSrc);
  await symlink('/tmp', join(linkSrc, 'link'));
  sh(linkSrc, 'tar', '-cf', join(files, 'symlink.tar'), 'link');
  await rm(join(linkSrc, 'link'));
  await mkdir(join(linkSrc, 'link'));
  await writeFile(join(linkSrc, 'link', `fetcher-spec-pwned-${process.pid}`), 'pwned\n');
  sh(linkSrc, 'tar', '-rf', join(files, 'symlink.tar'), `link/fetcher-spec-pwned-${process.pid}`);

  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/redirect') return void res.writeHead(302, { location: '/a.tgz' }).end();
    if (path === '/loop') return void res.writeHead(301, { location: '/loop' }).end();
    if (path === '/truncated') {
      res.writeHead(200, { 'content-length': '1000' });
      return void res.write(Buffer.alloc(10), () => res.destroy());
    }
    if (path === STALL) {
      res.writeHead(200, { 'content-length': '1000' });
      return void res.write(Buffer.alloc(10));
    }
    const slow = path.startsWith('/slow/');
    const name = slow ? path.slice('/slow'.length) : path;
    readFile(join(files, name)).then(
      (body) => setTimeout(() => res.writeHead(200).end(body), slow ? 100 : 0),
      () => res.writeHead(404).end('no such file'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(root, { recursive: true, force: true });
});

let n = 0;
let sandbox: string;
let fetcher: Fetcher;
let cacheDir: string;
beforeEach(async () => {
  sandbox = join(root, `sandbox-${++n}`);
  await mkdir(sandbox);
  cacheDir = join(root, `cache-${n}`);
  fetcher = new Fetcher({ cacheDir, cacheSizeBytes: 250 });
  hits.clear();
});

async function newSandbox(): Promise<string> {
  const dir = join(root, `sandbox-${++n}`);
  await mkdir(dir);
  return dir;
}

const text = (...path: string[]) => readFile(join(sandbox, ...path), 'utf8');

async function fetchError(promise: Promise<void>): Promise<FetchError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FetchError);
  return err as FetchError;
}

describe('Fetcher: kinds of files', () => {
  it.each(['a.tar', 'a.tar.gz', 'a.tgz', 'a.tar.bz2', 'a.tar.xz', 'a.zip'])('extracts %s into the sandbox', async (name) => {
    await fetcher.fetch([{ value: `${base}/${name}` }], { sandbox });
    expect(await text('hello.txt')).toBe('hello\n');
    expect(await text('sub', 'nested.txt')).toBe('nested\n');
    expect((await readdir(sandbox)).sort()).toEqual([name, 'hello.txt', 'sub'].sort());
  });

  it('gunzips a single .gz file', async () => {
    await fetcher.fetch([{ value: `${base}/notes.txt.gz` }], { sandbox });
    expect(await text('notes.txt')).toBe('hello\n');
  });

  it('leaves archives alone when extract is false', async () => {
    await fetcher.fetch([{ value: `${base}/a.tgz`, extract: false }], { sandbox });
    expect(await readdir(sandbox)).toEqual(['a.tgz']);
  });

  it('makes executables 0755 and never extracts them', async () => {
    await fetcher.fetch([{ value: `${base}/tool.sh`, executable: true }, { value: `${base}/a.tgz`, executable: true }], {
      sandbox,
    });
    expect((await stat(join(sandbox, 'tool.sh'))).mode & 0o777).toBe(0o755);
    expect((await readdir(sandbox)).sort()).toEqual(['a.tgz', 'tool.sh']);
    expect(execFileSync(join(sandbox, 'tool.sh'), { encoding: 'utf8' })).toBe('tool\n');
  });

  it('names the result after output_file, creating directories, and extracts next to it', async () => {
    await fetcher.fetch(
      [
        { value: `${base}/tool.sh`, output_file: 'bin/run' },
        { value: `${base}/a.tgz`, output_file: 'dist/pkg.tgz' },
      ],
      { sandbox },
    );
    expect(await text('bin', 'run')).toBe('#!/bin/sh\necho tool\n');
    expect(await text('dist', 'hello.txt')).toBe('hello\n');
  });

  it('copies file:// URLs and plain absolute paths', async () => {
    await fetcher.fetch([{ value: `file://${join(files, 'tool.sh')}` }, { value: join(files, 'a.zip') }], { sandbox });
    expect(await text('tool.sh')).toContain('echo tool');
    expect(await text('hello.txt')).toBe('hello\n');
  });

  it('follows redirects', async () => {
    await fetcher.fetch([{ value: `${base}/redirect`, output_file: 'r.tgz' }], { sandbox });
    expect(await text('hello.txt')).toBe('hello\n');
  });
});

describe('Fetcher: failures name the URI and the reason', () => {
  it('HTTP 404', async () => {
    const err = await fetchError(fetcher.fetch([{ value: `${base}/missing.tgz` }], { sandbox }));
    expect(err.message).toBe(`fetch of '${base}/missing.tgz' failed: HTTP 404 Not Found`);
    expect(err.code).toBe('FETCH_FAILED');
    expect(err.uri).toBe(`${base}/missing.tgz`);
    expect(await readdir(sandbox)).toEqual([]);
  });

  it('connection refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const err = await fetchError(fetcher.fetch([{ value: `http://127.0.0.1:${port}/x.tgz` }], { sandbox }));
    expect(err.message).toBe(`fetch of 'http://127.0.0.1:${port}/x.tgz' failed: connect ECONNREFUSED 127.0.0.1:${port}`);
  });

  it.each([
    ['a redirect loop', () => `${base}/loop`, /failed: more than 10 redirects/],
    ['a body cut short', () => `${base}/truncated`, /failed: download broke off/],
    ['a missing local file', () => '/nonexistent/x.tgz', /failed: no such file '\/nonexistent\/x.tgz'/],
    ['a directory', () => files, /is not a regular file/],
    ['an unsupported scheme', () => 'hdfs://namenode/x.tgz', /unsupported scheme 'hdfs:'/],
    ['a corrupt archive', () => `${base}/broken.tgz`, /failed: tar exited with code 2: .*not in gzip format/s],
  ])('%s', async (_what, uri, message) => {
    const err = await fetchError(fetcher.fetch([{ value: uri() }], { sandbox }));
    expect(err.message).toMatch(message);
  });

  it('stops at the first failing URI', async () => {
    const err = await fetchError(
      fetcher.fetch([{ value: `${base}/tool.sh` }, { value: `${base}/nope` }, { value: `${base}/a.zip` }], { sandbox }),
    );
    expect(err.uri).toBe(`${base}/nope`);
    expect(await readdir(sandbox)).toEqual(['tool.sh']);
  });
});

describe('Fetcher: nothing lands outside the sandbox', () => {
  it.each(['../escaped', '/tmp/escaped', 'a/../../escaped'])('refuses output_file %s', async (outputFile) => {
    const err = await fetchError(fetcher.fetch([{ value: `${base}/tool.sh`, output_file: outputFile }], { sandbox }));
    expect(err.message).toMatch(/output_file .* (contains '\.\.'|is absolute)/);
    expect(await readdir(root)).not.toContain('escaped');
  });

  it('refuses a tar with a ../ member', async () => {
    const err = await fetchError(fetcher.fetch([{ value: `${base}/evil.tar` }], { sandbox }));
    expect(err.message).toContain("archive member '../evil' contains '..'");
    expect(await readdir(root)).not.toContain('evil');
  });

  it('refuses a tar that writes through a symlink it planted', async () => {
    const pwned = `/tmp/fetcher-spec-pwned-${process.pid}`;
    const err = await fetchError(fetcher.fetch([{ value: `${base}/symlink.tar` }], { sandbox }));
    expect(err.message).toMatch(/tar exited with code 2/);
    await expect(stat(pwned)).rejects.toThrow(/ENOENT/);
  });

  it.each([
    ['a.tar', 'hello.txt'],
    ['a.zip', 'hello.txt'],
    ['notes.txt.gz', 'notes.txt'],
    ['tool.sh', 'tool.sh'],
  ])('fetching %s replaces the symlink %s in the sandbox instead of following it', async (name, link) => {
    const target = join(root, `target-${n}`);
    await writeFile(target, 'orig');
    await symlink(target, join(sandbox, link));
    await fetcher.fetch([{ value: `${base}/${name}` }], { sandbox });
    expect(await readFile(target, 'utf8')).toBe('orig');
    expect((await lstat(join(sandbox, link))).isFile()).toBe(true);
  });

  it('refuses to write through a symlink already in the sandbox', async () => {
    const outside = join(root, 'outside');
    await mkdir(outside, { recursive: true });
    await symlink(outside, join(sandbox, 'dist'));
    const viaOutputFile = await fetchError(fetcher.fetch([{ value: `${base}/tool.sh`, output_file: 'dist/x' }], { sandbox }));
    expect(viaOutputFile.message).toMatch(/resolves to .* outside the sandbox/);
    await symlink(outside, join(sandbox, 'sub'));
    const viaMember = await fetchError(fetcher.fetch([{ value: `${base}/a.tgz` }], { sandbox }));
    expect(viaMember.message).toContain("archive member 'sub/nested.txt' would be written through the symlink 'sub'");
    expect(await readdir(outside)).toEqual([]);
  });
});

describe('Fetcher: abort', () => {
  it('stops a stalled download and leaves no partial file', async () => {
    const ac = new AbortController();
    const started = Date.now();
    const pending = fetcher.fetch([{ value: `${base}${STALL}` }], { sandbox, signal: ac.signal });
    await expect.poll(() => hits.get(STALL) ?? 0, { timeout: 2000 }).toBe(1);
    ac.abort();
    const err = await fetchError(pending);
    expect(err.message).toBe(`fetch of '${base}${STALL}' failed: aborted`);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await readdir(sandbox)).toEqual([]);
  });
});

describe('Fetcher: cache', () => {
  // Users that exist everywhere, since the fetcher chowns to them when the specs run as root.
  it('downloads once for concurrent fetches of one URI by one user', async () => {
    const sandboxes = await Promise.all([1, 2, 3, 4, 5].map(() => newSandbox()));
    const uri = { value: `${base}/slow/100a`, cache: true };
    await Promise.all(sandboxes.map((s) => fetcher.fetch([uri], { sandbox: s, user: 'nobody' })));
    expect(hits.get('/slow/100a')).toBe(1);
    for (const s of sandboxes) expect((await readFile(join(s, '100a'))).length).toBe(100);
    await fetcher.fetch([uri], { sandbox: await newSandbox(), user: 'daemon' });
    expect(hits.get('/slow/100a')).toBe(2);
    await fetcher.fetch([uri], { sandbox: await newSandbox(), user: 'nobody' });
    expect(hits.get('/slow/100a')).toBe(2);
  });

  it('evicts the least recently used entry to stay under its size', async () => {
    // Cache of 250 bytes, entries of 100: the third evicts the first.
    for (const name of ['100a', '100b', '100c']) {
      await fetcher.fetch([{ value: `${base}/${name}`, cache: true }], { sandbox: await newSandbox() });
    }
    await fetcher.fetch([{ value: `${base}/100c`, cache: true }], { sandbox: await newSandbox() });
    expect(hits.get('/100c')).toBe(1);
    await fetcher.fetch([{ value: `${base}/100a`, cache: true }], { sandbox: await newSandbox() });
    expect(hits.get('/100a')).toBe(2);
    expect((await readdir(cacheDir)).length).toBe(2);
  });

  it('fetches an entry bigger than the cache without keeping it', async () => {
    const small = new Fetcher({ cacheDir: join(root, 'tiny-cache'), cacheSizeBytes: 50 });
    await small.fetch([{ value: `${base}/100a`, cache: true }], { sandbox });
    await small.fetch([{ value: `${base}/100a`, cache: true }], { sandbox: await newSandbox() });
    expect(hits.get('/100a')).toBe(2);
    expect((await readFile(join(sandbox, '100a'))).length).toBe(100);
    await expect.poll(() => readdir(join(root, 'tiny-cache')), { timeout: 2000 }).toEqual([]);
  });

  it('extracts cached archives into each sandbox', async () => {
    const other = await newSandbox();
    const big = new Fetcher({ cacheDir: join(root, 'archive-cache'), cacheSizeBytes: 1 << 20 });
    await big.fetch([{ value: `${base}/a.tgz`, cache: true }], { sandbox });
    await big.fetch([{ value: `${base}/a.tgz`, cache: true }], { sandbox: other });
    expect(hits.get('/a.tgz')).toBe(1);
    expect(await readFile(join(other, 'sub', 'nested.txt'), 'utf8')).toBe('nested\n');
  });
});

describe.runIf(process.getuid?.() === 0)('Fetcher: ownership (as root)', () => {
  it("hands fetched and extracted files to the task's user", async () => {
    const nobody = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).trim());
    await writeFile(join(sandbox, 'stdout'), '');
    await fetcher.fetch([{ value: `${base}/a.tgz` }], { sandbox, user: 'nobody' });
    for (const path of ['a.tgz', 'hello.txt', 'sub', 'sub/nested.txt']) {
      expect((await stat(join(sandbox, path))).uid, path).toBe(nobody);
    }
    expect((await stat(join(sandbox, 'stdout'))).uid).toBe(0);
  });

  it('fails with the reason when the user does not exist', async () => {
    const err = await fetchError(fetcher.fetch([{ value: `${base}/tool.sh` }], { sandbox, user: 'no-such-user-xyz' }));
    expect(err.message).toMatch(/could not hand the fetched files to user 'no-such-user-xyz' \(chown exited with code 1: .*invalid/);
  });
});

describe.runIf(process.getuid?.() === 0)('Fetcher: as the task user (as root, ids given)', () => {
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  const asNobody = async (): Promise<{ uid: number; gid: number }> => {
    const ids = { uid: id('-u'), gid: id('-g') };
    // The agent hands the sandbox to the user before fetching (executor-launch.ts); the path must be traversable.
    await chown(sandbox, ids.uid, ids.gid);
    for (let dir = sandbox; dir !== '/' && dir.startsWith(root); dir = dirname(dir)) await chmod(dir, 0o755);
    await chmod(root, 0o755);
    return ids;
  };

  it('refuses a file:// URI the user cannot read (/etc/shadow), with the reason, and leaves nothing behind', async () => {
    const ids = await asNobody();
    const err = await fetchError(fetcher.fetch([{ value: 'file:///etc/shadow' }], { sandbox, user: 'nobody', ids }));
    expect(err.message).toMatch(/Permission denied/);
    expect(await readdir(sandbox)).toEqual([]);
  });

  it.each<[string, string, string[]]>([
    ['an HTTP tarball, extracted', 'a.tgz', ['a.tgz', 'hello.txt', 'sub', 'sub/nested.txt']],
    ['a gzip file, decompressed', 'notes.txt.gz', ['notes.txt.gz', 'notes.txt']],
    ['a cached HTTP download', 'a.tar', ['a.tar', 'hello.txt']],
  ])('writes %s as the user', async (_n, file, paths) => {
    const ids = await asNobody();
    await fetcher.fetch([{ value: `${base}/${file}`, cache: file === 'a.tar' }], { sandbox, user: 'nobody', ids });
    for (const p of paths) expect((await lstat(join(sandbox, p))).uid, p).toBe(ids.uid);
  });

  it('copies a file:// URI the user can read, owned by the user; executable when asked', async () => {
    const ids = await asNobody();
    const readable = join(root, 'readable.sh');
    await writeFile(readable, '#!/bin/sh\necho hi\n', { mode: 0o644 });
    await fetcher.fetch([{ value: `file://${readable}`, executable: true }], { sandbox, user: 'nobody', ids });
    const info = await stat(join(sandbox, 'readable.sh'));
    expect(info.uid).toBe(ids.uid);
    expect(info.mode & 0o777).toBe(0o755);
  });
});
