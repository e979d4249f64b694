// Starting a master: registry store from the flags, recovery, then the HTTP server. Used by the mesos-master
// binary, tests, the benchmark and mesos-local. With --zk the server is bound first (so followers answer 307
// to the leader and /metrics says master/elected 0), then the master contends; once elected it loads the
// registry (503 meanwhile) and only then serves as the leader. Calls that reach it while ZooKeeper already
// names it the leader but it does not serve yet (the leader probe's fence, the registry read) wait for that
// moment, up to TAKE_OVER_WAIT_MS, so agents and schedulers that follow the leader need no backoff round.
import type http from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { MasterFlags } from '../flags.js';
import { FENCE_MS } from '@mesos-ts/wire';
import { gateFollower, servedByAnyMaster } from '../http/follower-gate.js';
import { createMasterServer, listen } from '../http/server.js';
import { FileRegistryStore } from '../registry/file-registry-store.js';
import { InMemoryRegistryStore, type RegistryStore } from '../registry/registry-store.js';
import { ZooKeeperRegistryStore } from '../registry/zk-registry-store.js';
import type { Clock } from '@mesos-ts/common';
import { Master } from './master.js';
import { ZooKeeperLeadership } from './zk-leadership.js';

export interface RunningMaster {
  master: Master;
  server: http.Server;
  port: number;
  /** `http://ip:port` */
  url: string;
  /** Resolves once this master leads and has recovered its registry (at once for a single master). */
  ready: Promise<void>;
  stop(): Promise<void>;
}

export interface StartMasterOptions {
  clock?: Clock;
  logger?: Logger;
  store?: RegistryStore;
  /**
   * With --zk: this master stopped leading (lease lapsed, session expired, registry written by another master)
   * or could not contend. It already answers as a follower; upstream masters exit here so a supervisor restarts
   * them (the binary does). Default: stop() the master.
   */
  onLeadershipLost?: (reason: string) => void;
}

/** Longest a call waits for this master to finish taking over, ms: the probe fence plus a registry read. */
const TAKE_OVER_WAIT_MS = FENCE_MS + 3_000;

export function registryStoreFor(flags: MasterFlags, options: { onConflict?: (reason: string) => void } = {}): RegistryStore {
  if (flags.registry === 'in_memory') return new InMemoryRegistryStore();
  if (flags.registry === 'zk') {
    const onConflict = options.onConflict;
    return new ZooKeeperRegistryStore({ url: flags.zk as string, sessionTimeoutMs: flags.zkSessionTimeoutMs, ...(onConflict ? { onConflict: (e) => onConflict(e.message) } : {}) });
  }
  return new FileRegistryStore(join(flags.workDir as string, 'registry'));
}

export async function startMaster(flags: MasterFlags, options: StartMasterOptions = {}): Promise<RunningMaster> {
  if (flags.zk === undefined) {
    const master = new Master({ flags, store: options.store ?? registryStoreFor(flags), ...common(options) });
    const server = createMasterServer(master);
    const port = await listen(server, flags.port, flags.ip);
    master.setPort(port);
    await master.start();
    return running(master, server, port, Promise.resolve(), async () => {});
  }

  let lostOnce = false;
  const lost = (reason: string): void => {
    if (lostOnce) return;
    lostOnce = true;
    // No longer leading from here on, whatever the callback does (a registry conflict leaves the candidacy up).
    void leadership.resign();
    options.logger?.error({ reason }, 'this master is no longer the leading master (or could not contend)');
    if (options.onLeadershipLost) options.onLeadershipLost(reason);
    else void result.stop();
  };
  const store = options.store ?? registryStoreFor(flags, { onConflict: lost });
  const leadership = new ZooKeeperLeadership({
    url: flags.zk,
    sessionTimeoutMs: flags.zkSessionTimeoutMs,
    leaderProbeIntervalMs: flags.zkLeaderProbeIntervalMs,
    masterInfo: () => master.info,
    self: () => ({ hostname: master.hostname, port: master.info.port }),
    onLost: lost,
    onError: (err) => options.logger?.warn({ err }, 'ZooKeeper leader detection'),
    onEvent: (event) => {
      if (event.type === 'removed-dead-member') {
        options.logger?.warn({ node: event.node, address: `${event.address.hostname}:${event.address.port}`, refused_ms: event.refusedMs }, 'removed the election node of a master whose port refuses connections (its process is gone); taking over after the fence');
      }
    },
  });
  const master: Master = new Master({ flags, store, leader: leadership, ...common(options) });
  const server = createMasterServer(master);
  // Followers answer before any route runs (the routes would answer 503 "recovering" instead of 307).
  const routes = server.listeners('request') as ((req: http.IncomingMessage, res: http.ServerResponse) => void)[];
  server.removeAllListeners('request');
  let ready: Promise<void> | undefined;
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const dispatch = (): void => {
      if (!gateFollower(leadership, req, res)) for (const r of routes) r(req, res);
    };
    const takingOver = leadership.takingOver() || (leadership.isSelf() && master.recovering);
    if (takingOver && ready !== undefined && !servedByAnyMaster(req)) void settledWithin(ready, TAKE_OVER_WAIT_MS).then(dispatch);
    else dispatch();
  });
  const port = await listen(server, flags.port, flags.ip);
  master.setPort(port);
  ready = master.start().then(
    () => options.logger?.info({ node: leadership.node }, 'elected leading master; registry recovered, serving as the leader'),
    (e: unknown) => {
      lost(`could not become the serving leader: ${(e as Error).message}`);
      throw e;
    },
  );
  ready.catch(() => undefined); // reported through lost(); callers may still await it
  options.logger?.info({ zk: flags.raw.get('zk'), node: leadership.node }, 'contending for leadership through ZooKeeper');
  const result = running(master, server, port, ready, async () => {
    await leadership.withdraw();
    if (store instanceof ZooKeeperRegistryStore) store.close();
  });
  return result;
}

/** Resolves when `p` settles or after `ms`, whichever comes first. */
function settledWithin(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    p.then(done, done);
  });
}

function common(options: StartMasterOptions): { clock?: Clock; logger?: Logger } {
  return { ...(options.clock ? { clock: options.clock } : {}), ...(options.logger ? { logger: options.logger } : {}) };
}

function running(master: Master, server: http.Server, port: number, ready: Promise<void>, release: () => Promise<void>): RunningMaster {
  let stopped: Promise<void> | undefined;
  return {
    master,
    server,
    port,
    url: `${master.flags.security.tls ? 'https' : 'http'}://${master.flags.ip}:${port}`,
    ready,
    stop: () =>
      (stopped ??= (async () => {
        master.stop();
        await release();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })()),
  };
}
