import { describe, expect, it } from 'vitest';
import { isSchedulerError } from './errors.js';
import { StaticMasterDetector, parseMasterList } from './master-detector.js';

describe('parseMasterList', () => {
  it.each([
    ['h1:5050', ['h1:5050']],
    ['h1:5050,h2:5051', ['h1:5050', 'h2:5051']],
    [' 127.0.0.1:5050 , 10.0.0.2 ', ['127.0.0.1:5050', '10.0.0.2:5050']],
    ['http://m1:5050/', ['m1:5050']],
    ['[::1]:5050', ['[::1]:5050']],
  ])('%j -> %j', (text, masters) => {
    expect(parseMasterList(text)).toEqual(masters);
  });

  it.each(['', 'h1:', 'h1:99999', 'h1:5050,,h2:5050', 'a b:1', 'zk://h:2181/mesos'])('rejects %j', (text) => {
    expect(() => parseMasterList(text)).toThrow(/master/);
    try {
      parseMasterList(text);
    } catch (e) {
      expect(isSchedulerError(e, 'INVALID_MASTER')).toBe(true);
    }
  });
});

describe('StaticMasterDetector', () => {
  it('rotates through the list and restarts at a known leader', async () => {
    const d = new StaticMasterDetector('h1:1,h2:2,h3:3');
    expect([await d.next(), await d.next(), await d.next(), await d.next()]).toEqual(['h1:1', 'h2:2', 'h3:3', 'h1:1']);
    d.leader('h3:3');
    expect([await d.next(), await d.next()]).toEqual(['h3:3', 'h1:1']);
    d.leader('elsewhere:1');
    expect(await d.next()).toBe('h2:2');
  });
});
