// `elasticsearch-mesos executor`: started by the agent in the node's sandbox (MESOS_* environment). Runs until
// the node's task is over and its terminal update acknowledged, or the agent shuts the executor down. A
// SIGTERM/SIGINT to the executor itself kills the node first: the node never outlives its executor.
import { ExecutorClient } from '@mesos-ts/executor';
import { executorExitCode, untilExecutorEnds } from '@mesos-ts/framework-kit';
import { pino } from 'pino';
import { EsExecutor } from './es-executor.js';

export async function runExecutor(): Promise<number> {
  const logger = pino({ base: { component: 'elasticsearch-mesos-executor' } }, pino.destination(2));
  const client = new ExecutorClient({ logger });
  const sandbox = client.environment.sandbox ?? client.environment.directory ?? process.cwd();
  const executor = new EsExecutor(client, { sandbox, logger });
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      executor.killNow();
      process.exit(1);
    });
  }
  const reason = await untilExecutorEnds(client, executor.done);
  executor.killNow();
  await client.stop();
  logger.info({ reason }, 'executor exiting');
  return executorExitCode(reason);
}
