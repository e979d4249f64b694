import { describe, expect, it } from 'vitest';
import { isZooKeeperError } from './zk-error.js';
import { ZkSession } from './zk-session.js';

describe('ZkSession', () => {
  it('can be closed at once, before its first connection exists', async () => {
    const session = new ZkSession({ servers: '127.0.0.1:1' }); // nothing listens on port 1
    expect(() => session.close()).not.toThrow();
    expect(session.state).toBe('closed');
    await new Promise((r) => setTimeout(r, 100)); // the library's connect attempt must not throw later either
  });

  it('tells an operation waiting for a connection that its session ended, not that ZooKeeper is unreachable', async () => {
    // A restarted ensemble may answer the reconnect with "session expired": the waiting operation must say so,
    // so that a state store opens a new session instead of failing with "no connection".
    const session = new ZkSession({ servers: '127.0.0.1:1', operationTimeoutMs: 10_000 });
    const pending = session.op('get k', (client, cb) => client.exists('/k', cb));
    setTimeout(() => session.close(), 50);
    const started = Date.now();
    await expect(pending).rejects.toSatisfy((e) => isZooKeeperError(e, 'CLOSED'));
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
