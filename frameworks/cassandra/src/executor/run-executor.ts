// `cassandra-mesos executor`: started by the agent in the node's sandbox (MESOS_* environment). Runs until the
// node's task is over and its terminal update acknowledged, or the agent shuts the executor down.
import { ExecutorClient } from '@mesos-ts/executor';
import { executorExitCode, untilExecutorEnds } from '@mesos-ts/framework-kit';
import { pino } from 'pino';
import { CassandraExecutor } from './cassandra-executor.js';
import { probeCql } from './cql-probe.js';
import { runNodetool } from './nodetool.js';

export async function runExecutor(): Promise<number> {
  const logger = pino({ base: { component: 'cassandra-mesos-executor' } }, pino.destination(2));
  const client = new ExecutorClient({ logger });
  const sandbox = client.environment.sandbox ?? client.environment.directory ?? process.cwd();
  const executor = new CassandraExecutor(client, { sandbox, probe: probeCql, nodetool: runNodetool, logger });
  const reason = await untilExecutorEnds(client, executor.done);
  await client.stop();
  logger.info({ reason }, 'executor exiting');
  return executorExitCode(reason);
}
