// Starts a launcher from its flags: state store (zk: or a file under --work_dir), the HTTP API, and the framework —
// at once without --zk, or while elected leader among the instances sharing the --zk path (leadership.ts).
// Used by the `marathon` bin and by mesos-local, which runs it in-process.
import { mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseStorage, serverTls, withScheme } from '@mesos-ts/framework-kit';
import { silentLogger, type Logger } from '@mesos-ts/scheduler';
import { uiBundleBuilt, uiBundleDir } from '@mesos-ts/ui';
import type http from 'node:http';
import type { ApiContext } from '../api/routes.js';
import { httpAuth } from '../api/http-auth.js';
import { startServer } from '../api/server.js';
import type { LauncherFlags } from '../cli/flags.js';
import { Launcher } from './launcher.js';
import { Leadership } from './leadership.js';

export interface RunningLauncher {
  /** The framework while this instance leads (always, without --zk); undefined on a standby. */
  readonly launcher: Launcher | undefined;
  url: string;
  server: http.Server;
  stop(): Promise<void>;
}

export async function runLauncher(flags: LauncherFlags, logger: Logger = silentLogger): Promise<RunningLauncher> {
  // HTTPS with LIBPROCESS_SSL_*: a certificate or key it cannot use stops the start before any state is touched.
  const tls = serverTls();
  const storage = flags.zk !== undefined ? flags.zk : `file:${path.resolve(flags.workDir, 'marathon-state.json')}`;
  if (flags.zk === undefined) mkdirSync(path.resolve(flags.workDir), { recursive: true });
  const store = await parseStorage(storage);
  let context: ApiContext | undefined;
  let leadership: Leadership | undefined;
  const self = (): string => `${flags.hostname}:${(server.address() as { port: number }).port}`;
  const info = (elected: boolean): Record<string, unknown> => ({
    name: 'marathon',
    version: '1.11.0-mesos-ts',
    elected,
    frameworkId: null,
    leader: leadership?.leader() ?? self(),
    marathon_config: { master: flags.master, mesos_role: flags.role, framework_name: flags.frameworkName, ha: flags.zk !== undefined },
    zookeeper_config: { zk: flags.zk ?? null },
  });
  /** The framework (it loads apps and tasks from the store; started, it re-subscribes and adopts running tasks). */
  const create = (webuiUrl: string): Promise<Launcher> =>
    Launcher.create({
      master: flags.master.replace(/^https?:\/\//, ''),
      store,
      frameworkName: flags.frameworkName,
      role: flags.role,
      user: os.userInfo().username,
      failoverTimeoutSecs: flags.failoverTimeoutSecs,
      hostname: flags.hostname,
      webuiUrl,
      ...(flags.principal === undefined ? {} : { principal: flags.principal }),
      ...(flags.secretFile === undefined ? {} : { secret: readFileSync(flags.secretFile, 'utf8').trim() }),
      logger,
    });
  /** Serves the API from `launcher` and starts it; returns its stop. */
  const serve = (launcher: Launcher): (() => Promise<void>) => {
    context = { launcher, info: info(true), leader: () => self() };
    launcher.start();
    return async () => {
      context = undefined;
      await launcher.stop();
    };
  };
  // Without --zk this instance always leads: the framework is created before the port opens and served as soon
  // as it listens (before any request can be handled), so an answered /ping means the API is ready. With --zk the
  // port opens first: a standby answers by proxying to the leader.
  const alone = flags.zk === undefined ? await create(withScheme(`http://${flags.hostname}:${flags.httpPort}`, tls)) : undefined;
  const { server, url } = await startServer(
    { context: () => context, leader: () => leadership?.leader() },
    flags.httpPort,
    flags.hostname,
    // Without --static_dir the launcher serves the launcher UI's bundle (packages/ui) at `/` once it is built.
    flags.staticDir ?? (uiBundleBuilt('launcher') ? uiBundleDir('launcher') : undefined),
    tls,
    flags.httpCredentials === undefined ? undefined : httpAuth(flags.httpCredentials, flags.httpRealm),
  );
  let stopLeading: (() => Promise<void>) | undefined;
  if (alone !== undefined) stopLeading = serve(alone);
  else {
    const lead = async (): Promise<() => Promise<void>> => serve(await create(url));
    leadership = new Leadership({ zk: flags.zk!, hostname: flags.hostname, port: Number(url.slice(url.lastIndexOf(':') + 1)), lead, logger, ...(flags.zkSessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: flags.zkSessionTimeoutMs }) });
    leadership.start();
  }
  return {
    get launcher() {
      return context?.launcher;
    },
    url,
    server,
    async stop() {
      await leadership?.stop();
      await stopLeading?.();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await store.close();
    },
  };
}
