import { describe, expect, it } from 'vitest';
import { frameworkInfoProblem, roleProblem, weightProblem } from './limits.js';

describe('roleProblem', () => {
  it.each<[string, string, string | null]>([
    ['plain', 'eng/kafka', null],
    ['star', '*', null],
    ['NUL', 'a\u0000b', 'control characters'],
    ['newline', 'a\nb', 'control characters'],
    ['lone high surrogate', 'a\ud800', 'lone surrogate'],
    ['lone low surrogate', '\udc00a', 'lone surrogate'],
    ['a surrogate pair is fine', 'a\ud83d\ude00', null],
    ['5 MiB', 'r'.repeat(5 * 1024 * 1024), 'longer than 255'],
  ])('%s', (_n, role, want) => {
    const p = roleProblem(role);
    if (want === null) expect(p).toBeNull();
    else {
      expect(p).toContain(want);
      expect(p!.length).toBeLessThan(300);
    }
  });
});

describe('weightProblem', () => {
  it.each<[unknown, boolean]>([
    [1, true],
    [2.5, true],
    [1e9, true],
    [1e308, false],
    [Infinity, false],
    [Number.NaN, false],
    [0, false],
    [-1, false],
    ['2', false],
  ])('%s ok=%s', (w, ok) => {
    expect(weightProblem(w) === null).toBe(ok);
  });
});

describe('frameworkInfoProblem', () => {
  it.each<[string, unknown, string | null]>([
    ['ordinary', { name: 'kafka', user: 'root', labels: { labels: [{ key: 'k', value: 'v' }] } }, null],
    ['5 MiB name', { name: 'n'.repeat(5 * 1024 * 1024), user: 'u' }, 'framework_info.name is longer'],
    ['long label', { name: 'x', labels: { labels: [{ key: 'k', value: 'v'.repeat(2000) }] } }, 'labels.labels[0].value'],
    ['too many capabilities', { name: 'x', capabilities: Array.from({ length: 2000 }, () => ({ type: 'MULTI_ROLE' })) }, 'more than 1024'],
    ['lone surrogate', { name: '\udfff' }, 'lone surrogate'],
    ['1000 labels of 1 KiB: each within the caps, too big together', { name: 'x', labels: { labels: Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(1000) })) } }, 'more than 65536'],
    ['50 labels of 1 KiB are fine', { name: 'x', labels: { labels: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v'.repeat(1000) })) } }, null],
  ])('%s', (_n, info, want) => {
    const p = frameworkInfoProblem(info);
    if (want === null) expect(p).toBeNull();
    else expect(p).toContain(want);
  });
});
