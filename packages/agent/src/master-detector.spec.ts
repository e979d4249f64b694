import { describe, expect, it } from 'vitest';
import { createMasterDetector, MasterDetectorError, StaticMasterDetector, ZooKeeperAgentDetector } from './master-detector.js';
import { FakeLeaderSource } from './testing/fake-leader-source.js';

describe('createMasterDetector', () => {
  it.each([
    ['127.0.0.1:5050,127.0.0.1:5051', StaticMasterDetector],
    ['zk://127.0.0.1:1/mesos', ZooKeeperAgentDetector],
  ])('%s → %o', async (spec, kind) => {
    const d = createMasterDetector(spec, { sessionTimeoutMs: 1000 });
    try {
      expect(d).toBeInstanceOf(kind);
    } finally {
      // node-zookeeper-client cannot close a client before its first connection attempt has begun.
      await new Promise((r) => setTimeout(r, 20));
      d.close();
    }
  });

  it.each(['zk://', 'zk://h:2181', 'nohostport', ''])('refuses %j with a MasterDetectorError', (spec) => {
    expect(() => createMasterDetector(spec)).toThrow(MasterDetectorError);
  });
});

describe('StaticMasterDetector', () => {
  it('tries each master in turn, prefers a redirect until it fails, and never reports changes', async () => {
    const d = new StaticMasterDetector('a:1,b:2');
    let changes = 0;
    d.onChange(() => changes++);
    expect(await d.next()).toBe('a:1');
    d.failed();
    expect(d.current()).toBe('b:2');
    d.redirected('c:3');
    expect(await d.next()).toBe('c:3');
    d.failed();
    expect(d.current()).toBe('b:2');
    expect(changes).toBe(0);
  });
});

describe('ZooKeeperAgentDetector', () => {
  it('waits for a leader, then answers it', async () => {
    const source = new FakeLeaderSource();
    const d = new ZooKeeperAgentDetector(source);
    expect(d.current()).toBeUndefined();
    const next = d.next();
    source.elect('10.0.0.1:5050');
    expect(await next).toBe('10.0.0.1:5050');
    expect(d.current()).toBe('10.0.0.1:5050');
  });

  it('follows a redirect until the leader changes, and tells listeners of every change', () => {
    const source = new FakeLeaderSource();
    const d = new ZooKeeperAgentDetector(source);
    const seen: (string | undefined)[] = [];
    d.onChange(() => seen.push(d.current()));
    source.elect('m1:5050');
    d.redirected('m2:5050');
    expect(d.current()).toBe('m2:5050');
    d.failed();
    expect(d.current()).toBe('m1:5050');
    d.redirected('m2:5050');
    source.elect(undefined);
    source.elect('m3:5050');
    expect(seen).toEqual(['m1:5050', undefined, 'm3:5050']);
  });

  it('close() unsubscribes, closes the source and rejects a pending wait', async () => {
    const source = new FakeLeaderSource();
    const d = new ZooKeeperAgentDetector(source);
    const pending = d.next();
    d.close();
    expect(source.closed).toBe(true);
    expect(source.listenerCount()).toBe(0);
    await expect(pending).rejects.toThrow(/closed/);
  });
});
