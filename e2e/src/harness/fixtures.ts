// Per-file fixtures shared by e2e specs: clean-up steps run after each test, and one real ZooKeeper per file.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startZooKeeper, type StartZooKeeperOptions, type ZooKeeperServer } from './zookeeper.js';

/** Clean-up steps a test registers as it goes; they run in reverse order after each test. */
export function cleanupsAfterEach(): Array<() => unknown> {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  return cleanups;
}

/**
 * A real ZooKeeper for the whole file, started before its first test and stopped after its last. The default
 * 200 ms tick lets clients use session timeouts down to 400 ms (ZooKeeper grants 2 to 20 ticks).
 */
export function zooKeeperForFile(options: StartZooKeeperOptions = { tickTimeMs: 200 }): { readonly server: ZooKeeperServer } {
  const fixture = {} as { server: ZooKeeperServer };
  beforeAll(async () => {
    fixture.server = await startZooKeeper(options);
  }, 30_000);
  afterAll(async () => {
    await fixture.server?.stop();
  });
  return fixture;
}
