// `cassandra-mesos` (the scheduler): reads its settings and, on first start, the ring's configuration from the
// environment (afterwards the stored configuration wins), opens the state store, serves the REST API and the
// Cassandra distribution, and runs until SIGINT/SIGTERM. Logs are pino JSON lines on stdout.
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { executorBundle, type ExecutorBundle, type ExecutorSpec, localExecutorCommand, parseStorage } from '@mesos-ts/framework-kit';
import { serverTls, withScheme } from '@mesos-ts/framework-kit';
import { pino } from 'pino';
import { apiRouter } from '../api/routes.js';
import { configFromEnv, type CassandraConfig } from '../domain/config.js';
import { CassandraError } from '../domain/errors.js';
import { CassandraScheduler } from './cassandra-scheduler.js';
import { distributionPath, startHttpServer } from './http-server.js';
import { schedulerSettings } from './scheduler-env.js';

export interface RunningScheduler {
  scheduler: CassandraScheduler;
  url: string;
  stop(): Promise<void>;
}

/** `node <this package's bin> executor` from the scheduler's own install (see localExecutorCommand). */
export function defaultExecutorCommand(): string {
  const here = fileURLToPath(import.meta.url);
  return localExecutorCommand(path.join(path.dirname(here), '..', 'bin', `cassandra-mesos${path.extname(here)}`));
}

export async function runScheduler(env: Readonly<Record<string, string | undefined>>, options: { executorCommand?: string } = {}): Promise<RunningScheduler> {
  const logger = pino({ level: env.CASSANDRA_LOG_LEVEL ?? 'info', base: { component: 'cassandra-mesos' } }, pino.destination(1));
  const settings = schedulerSettings(env, os.homedir());
  // LIBPROCESS_SSL_*: HTTPS for the REST API and the files agents fetch; an unusable certificate stops the start.
  const tls = serverTls(env);
  // A malformed variable is an error on every start, also when the stored configuration wins.
  const fromEnv = configFromEnv(env);
  const dist = findDistribution(settings.dist);
  const store = await parseStorage(settings.storage, { sessionTimeoutMs: settings.zkTimeoutMs });
  // A built scheduler serves its executor (agents need only Node); one run from sources uses its own path.
  const bundle = options.executorCommand === undefined && path.extname(fileURLToPath(import.meta.url)) === '.js' ? bundleOrWarn(logger) : undefined;
  const executor: ExecutorSpec = { command: options.executorCommand ?? bundle?.command ?? defaultExecutorCommand(), uris: [], distribution: path.basename(dist).replace(/\.(tgz|tar\.gz)$/, '') };
  let created;
  try {
    created = await CassandraScheduler.create({ master: settings.master, store, env, user: os.userInfo().username, principal: 'cassandra-mesos', executor, logger });
  } catch (e) {
    await store.close();
    throw e;
  }
  const { scheduler, source } = created;
  const config = scheduler.snapshot().ring.config;
  if (source === 'stored') {
    const ignored = changedKeys(config, fromEnv);
    if (ignored.length > 0) logger.warn({ ignored }, 'the stored configuration wins over the environment (as upstream); change it through the REST API (e.g. POST /scale/nodes)');
  }
  if (config.role === '*') logger.warn({}, "framework role '*': nothing can be reserved, so nodes keep their data in the sandbox; set CASSANDRA_FRAMEWORK_MESOS_ROLE=cassandra for reservations and persistent volumes");
  const { servers, port } = await startHttpServer(apiRouter(scheduler), dist, settings.port, settings.host, bundle, tls);
  const advertised = settings.host === '0.0.0.0' ? os.hostname() : settings.host;
  const url = withScheme(`http://${settings.host === '0.0.0.0' ? '127.0.0.1' : settings.host}:${port}`, tls);
  // Both names change with their content (the bundle's carries a hash), so the agents' fetcher may cache them.
  if (bundle !== undefined) executor.uris.push({ value: withScheme(`http://${advertised}:${port}/executor/${bundle.name}`, tls), extract: true, cache: true });
  executor.uris.push({ value: withScheme(`http://${advertised}:${port}${distributionPath(dist)}`, tls), extract: true, cache: true });
  scheduler.start();
  logger.info({ api: url, master: settings.master, storage: store.description, config: source, clusterName: config.clusterName, nodeCount: config.nodeCount, seedCount: config.seedCount, distribution: dist }, 'cassandra-mesos scheduler started');
  return {
    scheduler,
    url,
    async stop() {
      await scheduler.stop();
      for (const server of servers) {
        await new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
      }
      await store.close();
      logger.flush();
    },
  };
}

/** The served executor; when this install cannot be bundled, agents must have it at the same path. */
function bundleOrWarn(logger: pino.Logger): ExecutorBundle | undefined {
  try {
    return executorBundle({ packageName: '@mesos-ts/cassandra', packageDir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..'), top: 'cassandra-mesos', bin: 'dist/bin/cassandra-mesos.js' });
  } catch (e) {
    logger.warn({ err: e, executor: defaultExecutorCommand() }, 'cannot serve the executor bundle; agents run the executor from this install path, so it must exist on every agent');
    return undefined;
  }
}

/**
 * CASSANDRA_DIST (a .tgz or an unpacked directory); else an apache-cassandra-* .tgz or directory in the working
 * directory (fetched by the app's `uris`), else the newest one the repository's distribution tool cached.
 */
export function findDistribution(given: string | undefined): string {
  if (given !== undefined) {
    const dist = path.resolve(given);
    const ok = existsSync(dist) && (/\.(tgz|tar\.gz)$/.test(dist) || existsSync(path.join(dist, 'bin', 'cassandra')));
    if (!ok) throw new CassandraError('INVALID_PARAMETER', `CASSANDRA_DIST=${given} is not a Cassandra distribution: give apache-cassandra-<v>.tgz or the directory it unpacks to (with bin/cassandra)`);
    return dist;
  }
  const here = readdirSync('.').filter((f) => /^apache-cassandra-.*(\.tgz|\.tar\.gz)?$/.test(f)).sort();
  if (here.length > 0) return path.resolve(here.at(-1)!);
  const cache = process.env.MESOS_TS_DIST_CACHE ?? path.join(os.homedir(), '.cache', 'mesos-ts', 'dists');
  const cached = existsSync(cache) ? readdirSync(cache).filter((d) => d.startsWith('cassandra-')).sort() : [];
  for (const dir of cached.reverse()) {
    const tgz = readdirSync(path.join(cache, dir)).find((f) => /^apache-cassandra-.*\.tgz$/.test(f));
    if (tgz !== undefined) return path.join(cache, dir, tgz);
  }
  throw new CassandraError('INVALID_PARAMETER', 'no Cassandra distribution: set CASSANDRA_DIST=<apache-cassandra-<v>.tgz or directory> (`npx tsx e2e/dists/cli.ts ensure cassandra` assembles one)');
}

function changedKeys(stored: CassandraConfig, env: CassandraConfig): string[] {
  return (Object.keys(stored) as Array<keyof CassandraConfig>).filter((k) => stored[k] !== env[k]).map((k) => `${k}: stored ${String(stored[k])}, env ${String(env[k])}`);
}
