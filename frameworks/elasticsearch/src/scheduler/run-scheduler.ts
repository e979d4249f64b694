// `elasticsearch-mesos`: builds the scheduler from its flags — state store, the executor command agents run
// with the distribution URI to fetch, the REST API and web page on --webUiPort, the scale-down loop — and
// returns a handle whose stop() leaves the nodes running (failover) and teardown() stops them all.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localExecutorCommand, parseStorage } from '@mesos-ts/framework-kit';
import { createApiServer, listenApi, serverTls } from '@mesos-ts/framework-kit';
import { pino } from 'pino';
import { apiListener } from '../api/routes.js';
import { FlagError, publicConfig, type SchedulerConfig } from '../domain/flags.js';
import { EsScheduler } from './es-scheduler.js';
import { ScaleDownLoop } from './scale-down-loop.js';

export interface RunningScheduler {
  scheduler: EsScheduler;
  url: string;
  /** Stops the scheduler; the nodes keep running for a later scheduler to adopt. */
  stop(): Promise<void>;
  /** Tears the framework down: Mesos kills every node. */
  teardown(): Promise<void>;
}

/** `node <this package's bin> executor`: agents run the executor from this install (as upstream's jar mode). */
/** `node <this package's bin> executor` from the scheduler's own install (see localExecutorCommand). */
export function defaultExecutorCommand(): string {
  const here = fileURLToPath(import.meta.url);
  return localExecutorCommand(path.join(path.dirname(here), '..', 'bin', `elasticsearch-mesos${path.extname(here)}`));
}

export interface RunOptions {
  executorCommand?: string;
  /** Where the API listens (default: $HOST as Marathon sets it, else every address). */
  host?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export async function runScheduler(c: SchedulerConfig, options: RunOptions = {}): Promise<RunningScheduler> {
  const env = options.env ?? process.env;
  // LIBPROCESS_SSL_*: the REST API and web UI over HTTPS; an unusable certificate stops the start.
  const tls = serverTls(env);
  const logger = pino({ base: { component: 'elasticsearch-mesos' } }, pino.destination(1));
  if (c.elasticsearchBinaryUrl === undefined) throw new FlagError('missing --elasticsearchBinaryUrl: the URI (http://, file:// or an absolute path) of the Elasticsearch .tgz the agents fetch and run');
  const secret = c.frameworkSecretPath === undefined ? undefined : readOrFail(c.frameworkSecretPath, '--frameworkSecretPath').replace(/\n$/, '');
  const yml = c.elasticsearchSettingsLocation === undefined ? undefined : await readSettings(c.elasticsearchSettingsLocation);
  const store = await parseStorage(c.storage);
  if (c.frameworkRole === '*') logger.warn({}, "framework role '*': nodes keep their data in the sandbox (no reservation, no persistent volume); pass --frameworkRole=elasticsearch to use volumes");
  const scheduler = await EsScheduler.create({
    master: c.master.replace(/^https?:\/\//, ''),
    store,
    desiredNodes: c.elasticsearchNodes,
    failoverTimeoutSecs: c.frameworkFailoverTimeoutSecs,
    user: os.userInfo().username,
    ...(c.frameworkPrincipal === undefined ? {} : { principal: c.frameworkPrincipal }),
    ...(secret === undefined ? {} : { secret }),
    publicConfig: publicConfig(c),
    logger,
    plan: {
      frameworkName: c.frameworkName,
      role: c.frameworkRole,
      principal: c.frameworkPrincipal ?? c.frameworkName,
      clusterName: c.elasticsearchClusterName,
      cpus: c.elasticsearchCpu,
      memMb: c.elasticsearchRam,
      diskMb: c.elasticsearchDisk,
      ...(c.elasticsearchPorts === undefined ? {} : { fixedPorts: c.elasticsearchPorts }),
      useIpAddress: c.useIpAddress,
      executor: { command: options.executorCommand ?? defaultExecutorCommand(), uris: [{ value: c.elasticsearchBinaryUrl, extract: true, cache: true }] },
      ...(yml === undefined ? {} : { yml }),
    },
  });
  const listener = apiListener(scheduler);
  const host = options.host ?? env.HOST ?? '0.0.0.0';
  const server = createApiServer(listener, tls);
  const url = await listenApi(server, c.webUiPort, host);
  const scaleDown = new ScaleDownLoop(scheduler, { logger });
  scheduler.start();
  scaleDown.start();
  logger.info({ ui: url, master: c.master, storage: store.description, nodes: c.elasticsearchNodes, distribution: c.elasticsearchBinaryUrl }, 'elasticsearch-mesos scheduler started');
  const close = async (): Promise<void> => {
    scaleDown.stop();
    await new Promise<void>((r) => server.close(() => r()));
    server.closeAllConnections();
    await store.close();
    logger.flush();
  };
  return {
    scheduler,
    url,
    async stop() {
      await scheduler.stop();
      await close();
    },
    async teardown() {
      await scheduler.teardown();
      // A later start is a new framework: forget the old one's id and nodes.
      for (const key of await store.keys()) await store.delete(key);
      await close();
    },
  };
}

function readOrFail(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new FlagError(`${flag}=${file}: cannot read it (${(e as Error).message})`);
  }
}

/** --elasticsearchSettingsLocation: a path or an http(s) URL of an elasticsearch.yml. */
async function readSettings(location: string): Promise<string> {
  if (!/^https?:\/\//.test(location)) return readOrFail(location, '--elasticsearchSettingsLocation');
  const res = await fetch(location, { signal: AbortSignal.timeout(20_000) });
  if (!res.ok) throw new FlagError(`--elasticsearchSettingsLocation=${location}: ${res.status} ${res.statusText}`);
  return res.text();
}
