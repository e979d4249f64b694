// `elasticsearch-mesos executor`: started by the agent in the node's sandbox (MESOS_* environment). Runs until
// the node's task is over and its terminal update acknowledged, or the agent shuts the executor down. A
// SIGTERM/SIGINT to the executor itself kills the node first: the node never outlives its executor.
import { ExecutorClient } from '@mesos-ts/executor';
import { pino } from 'pino';
import { EsExecutor } from './es-executor.js';

const TERMINAL = ['TASK_FINISHED', 'TASK_FAILED', 'TASK_KILLED', 'TASK_ERROR', 'TASK_LOST', 'TASK_DROPPED', 'TASK_GONE'];

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
  const terminalAcked = new Promise<void>((resolve) => client.on('acknowledged', (s) => (TERMINAL.includes(s.state) ? resolve() : undefined)));
  client.start();
  const reason = await Promise.race([client.finished, executor.done.then(() => waitForAck(terminalAcked))]);
  executor.killNow();
  await client.stop();
  logger.info({ reason }, 'executor exiting');
  return reason === 'done' || reason.kind === 'shutdown' || reason.kind === 'stopped' ? 0 : 1;
}

/** After the terminal update, give the agent up to 5 s to acknowledge it before leaving. */
async function waitForAck(acked: Promise<void>): Promise<'done'> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([acked, new Promise((r) => (timer = setTimeout(r, 5_000)))]);
  clearTimeout(timer);
  return 'done';
}
