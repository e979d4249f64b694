// e2e scenarios start real daemons, ZooKeeper ensembles and stand-in brokers: one file at a time, so a
// 2-core machine is not oversubscribed (timing-sensitive failover tests) and no two files race for ports.
import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '../tools/vitest.shared.js';

export default mergeConfig(shared, defineConfig({ test: { fileParallelism: false, testTimeout: 60_000, hookTimeout: 60_000 } }));
