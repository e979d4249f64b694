// Starting a master: registry store from the flags, recovery, then the HTTP server. Used by the mesos-master
// binary, tests, the benchmark and (later) mesos-local.
import type http from 'node:http';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { MasterFlags } from '../flags.js';
import { createMasterServer, listen } from '../http/server.js';
import { FileRegistryStore } from '../registry/file-registry-store.js';
import { InMemoryRegistryStore, type RegistryStore } from '../registry/registry-store.js';
import type { Clock } from './clock.js';
import { Master } from './master.js';

export interface RunningMaster {
  master: Master;
  server: http.Server;
  port: number;
  /** `http://ip:port` */
  url: string;
  stop(): Promise<void>;
}

export function registryStoreFor(flags: MasterFlags): RegistryStore {
  if (flags.registry === 'in_memory') return new InMemoryRegistryStore();
  return new FileRegistryStore(join(flags.workDir as string, 'registry'));
}

export async function startMaster(flags: MasterFlags, options: { clock?: Clock; logger?: Logger; store?: RegistryStore } = {}): Promise<RunningMaster> {
  const master = new Master({ flags, store: options.store ?? registryStoreFor(flags), ...(options.clock ? { clock: options.clock } : {}), ...(options.logger ? { logger: options.logger } : {}) });
  const server = createMasterServer(master);
  const port = await listen(server, flags.port, flags.ip);
  master.setPort(port);
  await master.start();
  return {
    master,
    server,
    port,
    url: `http://${flags.ip}:${port}`,
    stop: async () => {
      master.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
