#!/usr/bin/env node
// `cassandra-mesos`: the scheduler (configured from the environment, as upstream's Main) and the executor
// agents start for each node (`cassandra-mesos executor`).
import { isCassandraError } from '../domain/errors.js';
import { runExecutor } from '../executor/run-executor.js';
import { runScheduler } from '../scheduler/run-scheduler.js';

export const HELP = `Usage: cassandra-mesos [scheduler] [--help]
       cassandra-mesos executor

Runs the Cassandra framework's scheduler (a Mesos framework that grows a Cassandra ring node by node on
reserved resources with persistent volumes). It takes no flags: like upstream cassandra-mesos it reads its
environment, and the CASSANDRA_* ring settings only on first start (afterwards the stored ones win).

  MESOS_ZK                 zk://host:2181/mesos of the masters (else MESOS_MASTER=host:5050[,host:5050],
                           default 127.0.0.1:5050)
  CASSANDRA_ZK             zk://host:2181/cassandra-mesos: state in ZooKeeper (CASSANDRA_ZK_TIMEOUT_MS 10000);
                           else CASSANDRA_STATE_FILE (default ~/.cassandra-mesos/<cluster>.json)
  CASSANDRA_CLUSTER_NAME   cluster name; the framework is cassandra.<name> (default cassandra)
  CASSANDRA_NODE_COUNT     nodes (3); CASSANDRA_SEED_COUNT seeds (2)
  CASSANDRA_RESOURCE_CPU_CORES, _MEM_MB, _DISK_MB, _HEAP_MB   per node (2.0, 2048, 2048, mem/4 >= 256)
  CASSANDRA_HEALTH_CHECK_INTERVAL_SECONDS   executor health reports (60)
  CASSANDRA_BOOTSTRAP_GRACE_TIME_SECONDS    minimum time between two node bootstraps (120)
  CASSANDRA_FAILOVER_TIMEOUT_SECONDS        Mesos framework failover timeout (604800)
  CASSANDRA_FRAMEWORK_MESOS_ROLE            role to reserve for ('*': no reservations, data in the sandbox)
  CASSANDRA_DEFAULT_DC, CASSANDRA_DEFAULT_RACK   snitch DC and rack (DC1, RAC1)
  CASSANDRA_JVM_OPTS       extra JVM options for every Cassandra process
  CASSANDRA_DIST           apache-cassandra-<v>.tgz or its directory, served to the agents' fetchers (default:
                           one in the working directory, else the newest in ~/.cache/mesos-ts/dists)
  PORT0                    REST port (the launcher sets it; else CASSANDRA_HTTP_PORT, default 18080), bound on
                           $HOST (else all addresses)

REST: GET / lists the endpoints (/config, /node/all, /live-nodes, POST /scale/nodes?nodeCount=N, node
stop|start|restart|terminate|replace|make-seed|make-non-seed, cluster repair|cleanup|rolling-restart jobs,
/health/process, /health/cluster).
`;

async function scheduler(): Promise<number> {
  let running;
  try {
    running = await runScheduler(process.env);
  } catch (e) {
    if (!isCassandraError(e) && (e as { code?: string }).code !== 'INVALID_STORAGE' && (e as { code?: string }).code !== 'EADDRINUSE' && (e as Error).name !== 'SecurityConfigError') throw e;
    process.stderr.write(`Error: ${(e as Error).message}\n`);
    return 2;
  }
  process.stderr.write(`cassandra-mesos scheduler started; REST API at ${running.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  return 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (argv.includes('--help') || argv.includes('-h') || command === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  if (command === 'executor' && rest.length === 0) return runExecutor();
  if ((command === undefined || command === 'scheduler') && rest.length === 0) return scheduler();
  process.stderr.write(`Error: unknown arguments '${argv.join(' ')}'; cassandra-mesos takes its settings from the environment\n\n${HELP}`);
  return 2;
}

process.exitCode = await main(process.argv.slice(2));
