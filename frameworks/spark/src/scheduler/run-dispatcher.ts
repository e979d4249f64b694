// `spark-dispatcher`: opens the state store, starts the REST submission server (--port) and the web UI
// (--webui-port), subscribes to Mesos, and runs until SIGINT/SIGTERM. Logs are pino JSON lines on stdout.
import os from 'node:os';
import { parseStorage, serverTls, withScheme } from '@mesos-ts/framework-kit';
import { pino } from 'pino';
import { startRestServer } from '../api/rest-server.js';
import { startWebUi } from '../api/web-ui.js';
import { dispatcherSettings, type DispatcherFlags } from '../cli/dispatcher-flags.js';
import { Dispatcher } from './dispatcher.js';

export interface RunningDispatcher {
  dispatcher: Dispatcher;
  restUrl: string;
  webuiUrl: string;
  stop(): Promise<void>;
}

/** The dispatcher's own framework failover timeout: a week, as the launcher's, so a restart adopts its drivers. */
export const FAILOVER_TIMEOUT_SEC = 604_800;

export async function runDispatcher(flags: DispatcherFlags, env: Record<string, string | undefined> = process.env): Promise<RunningDispatcher> {
  const logger = pino({ level: 'info', base: { component: 'spark-dispatcher' } }, pino.destination(1));
  const settings = dispatcherSettings(flags, env);
  // LIBPROCESS_SSL_*: the REST server and the web UI over HTTPS; an unusable certificate stops the start.
  const tls = serverTls(env);
  const store = await parseStorage(settings.storage);
  const advertised = flags.host === '0.0.0.0' ? os.hostname() : flags.host;
  const dispatcher = await Dispatcher.create({
    master: flags.master,
    store,
    name: flags.name,
    role: settings.role,
    user: os.userInfo().username,
    conf: settings.conf,
    driverConstraints: settings.driverConstraints,
    rejectOfferSeconds: settings.rejectOfferSeconds,
    failoverTimeoutSec: FAILOVER_TIMEOUT_SEC,
    webuiUrl: withScheme(`http://${advertised}:${flags.webuiPort}`, tls),
    logger,
  });
  const rest = await startRestServer(dispatcher, flags.port, flags.host, tls);
  const ui = await startWebUi({ state: () => dispatcher.state(), get frameworkId() { return dispatcher.frameworkId; }, get masterAddress() { return dispatcher.masterAddress; }, name: flags.name }, flags.webuiPort, flags.host, tls);
  dispatcher.start();
  logger.info({ rest: rest.url, webui: ui.url, master: flags.master, storage: store.description, role: settings.role, driverDefaults: settings.conf.driverDefaults }, 'spark dispatcher started');
  return {
    dispatcher,
    restUrl: rest.url,
    webuiUrl: ui.url,
    async stop() {
      await dispatcher.stop();
      for (const s of [rest.server, ui.server]) {
        s.closeAllConnections();
        await new Promise<void>((r) => s.close(() => r()));
      }
      await store.close();
      logger.flush();
    },
  };
}
