import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamTar } from './stream-tar.js';

const dir = mkdtempSync(join(tmpdir(), 'stream-tar-'));
let server: http.Server;
let base = '';

beforeAll(async () => {
  writeFileSync(join(dir, 'payload.txt'), 'hello\n');
  server = http.createServer((req, res) => streamTar(['-C', dir, '-czf', '-', req.url === '/ok' ? 'payload.txt' : 'missing.txt'], res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

describe('streamTar', () => {
  it("answers with tar's output as it runs", async () => {
    const body = Buffer.from(await (await fetch(`${base}/ok`)).arrayBuffer());
    writeFileSync(join(dir, 'got.tgz'), body);
    expect(execFileSync('tar', ['-tzf', join(dir, 'got.tgz')], { encoding: 'utf8' }).trim()).toBe('payload.txt');
  });

  it('cuts the answer off when tar fails, so a client never takes it for a whole archive', async () => {
    await expect(fetch(`${base}/missing`).then((r) => r.arrayBuffer())).rejects.toThrow();
  });
});
