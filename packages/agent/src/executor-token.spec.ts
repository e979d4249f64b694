import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExecutorTokens } from './executor-token.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'exec-token-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ExecutorTokens', () => {
  const a = new ExecutorTokens(path.join(dir, 'meta'));
  it('keeps the secret 0600 in the meta dir, so a restarted agent gives the same tokens', () => {
    expect(statSync(path.join(dir, 'meta', 'executor-secret')).mode & 0o777).toBe(0o600);
    expect(new ExecutorTokens(path.join(dir, 'meta')).token('f', 'e')).toBe(a.token('f', 'e'));
  });
  it.each<[string, string, string | undefined, boolean]>([
    ['own token', 'e', `Bearer ${new ExecutorTokens(path.join(dir, 'meta')).token('f', 'e')}`, true],
    ['no header', 'e', undefined, false],
    ['another executor token', 'e', `Bearer ${new ExecutorTokens(path.join(dir, 'meta')).token('f', 'x')}`, false],
    ['ids run together', 'e', `Bearer ${new ExecutorTokens(path.join(dir, 'meta')).token('fe', '')}`, false],
    ['Basic scheme', 'e', 'Basic Zm9vOmJhcg==', false],
    ['made-up token', 'e', 'Bearer AAAA', false],
  ])('%s -> %s', (_n, ex, header, ok) => {
    expect(a.verify('f', ex, header)).toBe(ok);
  });
  it('another agent (another secret) gives other tokens', () => {
    expect(new ExecutorTokens(path.join(dir, 'other')).token('f', 'e')).not.toBe(a.token('f', 'e'));
  });
});
