import { describe, expect, it } from 'vitest';
import { ZkSession } from './zk-session.js';

describe('ZkSession', () => {
  it('can be closed at once, before its first connection exists', async () => {
    const session = new ZkSession({ servers: '127.0.0.1:1' }); // nothing listens on port 1
    expect(() => session.close()).not.toThrow();
    expect(session.state).toBe('closed');
    await new Promise((r) => setTimeout(r, 100)); // the library's connect attempt must not throw later either
  });
});
