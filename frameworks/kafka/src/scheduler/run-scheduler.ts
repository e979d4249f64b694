// `kafka-mesos scheduler`: builds the scheduler from its flags — state store, HTTP server on --api's port
// (REST API + distribution files), the executor command agents run, topics through kafkajs — and runs until
// SIGINT/SIGTERM. Logs are pino JSON lines (to --log or stdout).
import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { localExecutorCommand, parseStorage, serverTls, withScheme, type ExecutorSpec } from '@mesos-ts/framework-kit';
import { pino } from 'pino';
import { apiRouter } from '../api/routes.js';
import { KafkaError } from '../domain/errors.js';
import type { SchedulerFlags } from '../cli/scheduler-flags.js';
import { executorBundle, type ExecutorBundle } from './executor-bundle.js';
import { startHttpServer, servedName } from './http-server.js';
import { KafkaScheduler } from './kafka-scheduler.js';
import { KafkaTopics } from './kafka-topics.js';

export interface RunningScheduler {
  scheduler: KafkaScheduler;
  url: string;
  stop(): Promise<void>;
}

/** `node <this package's bin> executor` from the scheduler's own install (see localExecutorCommand). */
export function defaultExecutorCommand(): string {
  const here = fileURLToPath(import.meta.url);
  return localExecutorCommand(path.join(path.dirname(here), '..', 'bin', `kafka-mesos${path.extname(here)}`));
}

export async function runScheduler(flags: SchedulerFlags, options: { executorCommand?: string } = {}): Promise<RunningScheduler> {
  const logger = pino({ level: flags.debug ? 'debug' : 'info', base: { component: 'kafka-mesos' } }, flags.log === undefined ? pino.destination(1) : pino.destination({ dest: flags.log, mkdir: true }));
  // LIBPROCESS_SSL_*: checked before anything starts (a bad certificate stops the scheduler, never serves plain HTTP).
  const tls = serverTls();
  const apiUrl = new URL(flags.api.includes('://') ? flags.api : `http://${flags.api}`);
  const port = Number(apiUrl.port || 7000);
  const host = bindHost(flags.bindAddress);
  const store = await parseStorage(flags.storage, flags.zk === undefined ? {} : { zk: flags.zk });
  const kafkaDist = flags.kafkaDist ?? findDist();
  // Agents fetch the executor and distribution from here: over https when this API serves TLS.
  const base = withScheme(apiUrl.toString().replace(/\/+$/, ''), tls);
  // A built scheduler serves the executor (agents need only Node); one run from sources uses its own path.
  const bundle = options.executorCommand === undefined && path.extname(fileURLToPath(import.meta.url)) === '.js' ? bundleOrWarn(logger) : undefined;
  const executor: ExecutorSpec = { command: options.executorCommand ?? bundle?.command ?? defaultExecutorCommand(), uris: [], distribution: '' };
  if (bundle !== undefined) executor.uris.push({ value: `${base}/executor/${bundle.name}`, extract: true });
  if (kafkaDist !== undefined) {
    if (!existsSync(kafkaDist)) throw new KafkaError('INVALID_PARAMETER', `--kafka-dist ${kafkaDist} does not exist; give a Kafka .tgz or distribution directory`);
    const name = await servedName(kafkaDist);
    executor.uris.push({ value: `${base}/kafka/${name}`, extract: true });
    executor.distribution = name;
  }
  if (flags.jre !== undefined) executor.uris.push({ value: `${base}/jre/${await servedName(flags.jre)}`, extract: true });
  if (flags.jre !== undefined) executor.environment = { KAFKA_MESOS_JRE: path.basename(flags.jre).replace(/\.(zip|tgz|tar\.gz)$/, '') };
  if (flags.frameworkRole === '*') logger.warn({}, "framework role '*': brokers keep data in their sandbox (no persistent volumes); pass --framework-role=kafka to use volumes");
  const scheduler = await KafkaScheduler.create({
    master: flags.master.replace(/^https?:\/\//, ''),
    store,
    frameworkName: flags.frameworkName,
    frameworkRole: flags.frameworkRole,
    frameworkTimeoutMs: flags.frameworkTimeoutMs,
    user: flags.user ?? os.userInfo().username,
    executor,
    logger,
    ...(flags.zk === undefined ? {} : { zk: flags.zk }),
    ...(flags.principal === undefined ? {} : { principal: flags.principal }),
    ...(flags.secret === undefined ? {} : { secret: flags.secret }),
  });
  const topics = new KafkaTopics(() => scheduler.brokers().flatMap((b) => (b.task?.state === 'running' ? [`${b.task.hostname}:${b.task.port}`] : [])));
  const files = { ...(kafkaDist === undefined ? {} : { kafkaDist }), ...(flags.jre === undefined ? {} : { jre: flags.jre }), ...(bundle === undefined ? {} : { executor: bundle }) };
  const { server, url } = await startHttpServer(apiRouter(scheduler, topics), files, port, host, tls);
  scheduler.start();
  logger.info({ api: url, master: flags.master, storage: store.description, mode: flags.zk === undefined ? 'kraft' : `zk ${flags.zk}`, executor: bundle === undefined ? executor.command : `${url}/executor/${bundle.name}` }, 'kafka-mesos scheduler started');
  return {
    scheduler,
    url,
    async stop() {
      await scheduler.stop();
      await new Promise<void>((r) => server.close(() => r()));
      server.closeAllConnections();
      await store.close();
      logger.flush();
    },
  };
}

/** The served executor bundle; when this install cannot be bundled, agents must have it at the same path. */
function bundleOrWarn(logger: pino.Logger): ExecutorBundle | undefined {
  try {
    return executorBundle();
  } catch (e) {
    logger.warn({ err: e, executor: defaultExecutorCommand() }, 'cannot serve the executor bundle; agents run the executor from this install path, so it must exist on every agent');
    return undefined;
  }
}

/** `--bind-address`: an address, `0.0.0.0`, `if:eth1` (its IPv4 address) or a wildcard `192.168.50.*`. */
export function bindHost(spec: string | undefined): string {
  if (spec === undefined || spec === '' || spec === 'all') return '0.0.0.0';
  const addresses = Object.entries(os.networkInterfaces()).flatMap(([name, list]) => (list ?? []).filter((a) => a.family === 'IPv4').map((a) => ({ name, address: a.address })));
  if (spec.startsWith('if:')) {
    const found = addresses.find((a) => a.name === spec.slice(3));
    if (found === undefined) throw new KafkaError('INVALID_PARAMETER', `--bind-address ${spec}: no IPv4 interface ${spec.slice(3)} (have ${addresses.map((a) => a.name).join(', ')})`);
    return found.address;
  }
  if (spec.includes('*')) {
    const re = new RegExp(`^${spec.replaceAll('.', '\\.').replaceAll('*', '.*')}$`);
    const found = addresses.find((a) => re.test(a.address));
    if (found === undefined) throw new KafkaError('INVALID_PARAMETER', `--bind-address ${spec}: no local address matches (have ${addresses.map((a) => a.address).join(', ')})`);
    return found.address;
  }
  return spec;
}

/** kafka-mesos looks for `kafka*.tgz` beside it when no distribution is given. */
function findDist(): string | undefined {
  const found = readdirSync('.').filter((f) => /^kafka.*\.tgz$/.test(f)).sort();
  return found.at(-1);
}
