// Does the node answer CQL, and is it NORMAL? One short cassandra-driver session per probe, pinned to the node
// (AllowListPolicy: no other host is tried), reading system.local's `bootstrapped` (COMPLETED once the node
// joined the ring; Cassandra opens the native port only after joining, so an answer means NORMAL in practice).
import { createRequire } from 'node:module';
import path from 'node:path';
import type { NodeMode } from '../domain/node.js';

export interface ProbeResult {
  answers: boolean;
  mode: NodeMode;
}

type Driver = typeof import('cassandra-driver');
let driver: Driver | undefined;

/**
 * cassandra-driver, loaded with require(): it is CommonJS, and its `long` dependency must be long's CommonJS
 * build (under an `import` condition, e.g. vitest, `long` resolves to an ESM namespace without Long.fromInt).
 */
function load(): Driver {
  if (driver !== undefined) return driver;
  const require = createRequire(import.meta.url);
  const driverRequire = createRequire(require.resolve('cassandra-driver'));
  const resolved = driverRequire.resolve('long');
  const umd = resolved.endsWith(path.join('umd', 'index.js')) ? resolved : path.join(path.dirname(resolved), 'umd', 'index.js');
  if (resolved !== umd && require.cache[resolved] === undefined) {
    driverRequire(umd);
    require.cache[resolved] = require.cache[umd];
  }
  driver = driverRequire('cassandra-driver') as Driver;
  return driver;
}

export async function probeCql(address: string, port: number, dc: string): Promise<ProbeResult> {
  const cassandra = load();
  const endpoint = `${address}:${port}`;
  const client = new cassandra.Client({
    contactPoints: [endpoint],
    localDataCenter: dc,
    policies: { loadBalancing: new cassandra.policies.loadBalancing.AllowListPolicy(new cassandra.policies.loadBalancing.RoundRobinPolicy(), [endpoint]), reconnection: new cassandra.policies.reconnection.ConstantReconnectionPolicy(60_000) },
    socketOptions: { connectTimeout: 3_000, readTimeout: 5_000 },
    pooling: { warmup: false },
  });
  try {
    await client.connect();
    const rs = await client.execute('SELECT bootstrapped FROM system.local');
    const state = String(rs.first()?.get('bootstrapped') ?? '');
    return { answers: true, mode: state === 'COMPLETED' ? 'NORMAL' : 'JOINING' };
  } catch {
    return { answers: false, mode: 'DOWN' };
  } finally {
    await client.shutdown().catch(() => undefined);
  }
}
