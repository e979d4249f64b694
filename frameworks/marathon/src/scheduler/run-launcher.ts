// Starts a launcher from its flags: state store (zk: or a file under --work_dir), the framework, the HTTP API.
// Used by the `marathon` bin and by mesos-local, which runs it in-process.
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseStorage } from '@mesos-ts/framework-kit';
import type { Logger } from '@mesos-ts/scheduler';
import { uiBundleBuilt, uiBundleDir } from '@mesos-ts/ui';
import type http from 'node:http';
import { startServer } from '../api/server.js';
import type { LauncherFlags } from '../cli/flags.js';
import { Launcher } from './launcher.js';

export interface RunningLauncher {
  launcher: Launcher;
  url: string;
  server: http.Server;
  stop(): Promise<void>;
}

export async function runLauncher(flags: LauncherFlags, logger?: Logger): Promise<RunningLauncher> {
  const storage = flags.zk !== undefined ? flags.zk : `file:${path.resolve(flags.workDir, 'marathon-state.json')}`;
  if (flags.zk === undefined) mkdirSync(path.resolve(flags.workDir), { recursive: true });
  const store = await parseStorage(storage);
  const launcher = await Launcher.create({
    master: flags.master.replace(/^https?:\/\//, ''),
    store,
    frameworkName: flags.frameworkName,
    role: flags.role,
    user: os.userInfo().username,
    failoverTimeoutSecs: flags.failoverTimeoutSecs,
    hostname: flags.hostname,
    webuiUrl: `http://${flags.hostname}:${flags.httpPort}`,
    ...(logger === undefined ? {} : { logger }),
  });
  const { server, url } = await startServer(
    { launcher, info: { name: 'marathon', version: '1.11.0-mesos-ts', frameworkId: null, leader: `${flags.hostname}:${flags.httpPort}`, marathon_config: { master: flags.master, mesos_role: flags.role, framework_name: flags.frameworkName }, zookeeper_config: { zk: flags.zk ?? null } }, leader: () => `${flags.hostname}:${(server.address() as { port: number }).port}` },
    flags.httpPort,
    flags.hostname,
    // Without --static_dir the launcher serves the launcher UI's bundle (packages/ui) at `/` once it is built.
    flags.staticDir ?? (uiBundleBuilt('launcher') ? uiBundleDir('launcher') : undefined),
  );
  launcher.start();
  return {
    launcher,
    url,
    server,
    async stop() {
      await launcher.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}
