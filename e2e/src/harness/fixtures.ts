// Per-file fixtures shared by e2e specs: clean-up steps run after each test, and one real ZooKeeper per file.
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startZooKeeper, type StartZooKeeperOptions, type ZooKeeperServer } from './zookeeper.js';
import { startZooKeeperEnsemble, type ZooKeeperEnsemble } from './zookeeper-ensemble.js';

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

/**
 * A real 3-node ZooKeeper ensemble for the whole file. Tests stop members on purpose; after each test every
 * member is started again and the file waits until all three serve, so each test begins with a whole ensemble.
 * Call it before `cleanupsAfterEach()`: after-each hooks run last-registered first, so clean-ups run before the restart.
 */
export function zooKeeperEnsembleForFile(tickTimeMs: number): { readonly ensemble: ZooKeeperEnsemble } {
  const fixture = {} as { ensemble: ZooKeeperEnsemble };
  beforeAll(async () => {
    fixture.ensemble = await startZooKeeperEnsemble({ tickTimeMs });
  }, 60_000);
  afterEach(async () => {
    for (const m of fixture.ensemble.members) await m.start();
    await fixture.ensemble.waitServing(3);
  }, 60_000);
  afterAll(async () => {
    await fixture.ensemble?.stop();
  });
  return fixture;
}
