// The environment of an executor, as upstream builds it: the agent's own environment (minus its MESOS_*
// flag variables), the MESOS_* variables of the executor API, then ExecutorInfo.command.environment on top.
import type { v1 } from '@mesos-ts/proto';
import { formatDuration } from '@mesos-ts/wire';

export interface ExecutorEnvInput {
  base: Readonly<Record<string, string | undefined>>;
  frameworkId: string;
  executorId: string;
  agentId: string;
  sandbox: string;
  /** host:port the executor reaches the agent at. */
  agentEndpoint: string;
  checkpoint: boolean;
  shutdownGracePeriodMs: number;
  recoveryTimeoutMs: number;
  /** Max delay between an executor's SUBSCRIBE retries after losing the agent, in ms. */
  subscriptionBackoffMaxMs: number;
  command: v1.CommandInfo | undefined;
  /** Set for the command executor: the task it runs. */
  taskId?: string;
}

export const SUBSCRIPTION_BACKOFF_MAX_MS = 1000;

/** Where mesos-executor leaves its unacknowledged updates (checkpointing frameworks), inside the sandbox. */
export const EXECUTOR_UPDATES_FILE = '.mesos-executor-updates.json';

const ms = (n: number): string => formatDuration(BigInt(Math.round(n)) * 1_000_000n);

export function executorEnv(input: ExecutorEnvInput): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.base)) if (v !== undefined && !k.startsWith('MESOS_')) env[k] = v;
  Object.assign(env, {
    MESOS_FRAMEWORK_ID: input.frameworkId,
    MESOS_EXECUTOR_ID: input.executorId,
    MESOS_SLAVE_ID: input.agentId,
    MESOS_AGENT_ID: input.agentId,
    MESOS_DIRECTORY: input.sandbox,
    MESOS_SANDBOX: input.sandbox,
    MESOS_AGENT_ENDPOINT: input.agentEndpoint,
    MESOS_CHECKPOINT: input.checkpoint ? '1' : '0',
    MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: ms(input.shutdownGracePeriodMs),
    MESOS_HTTP_COMMAND_EXECUTOR: '1',
  });
  if (input.checkpoint) {
    env.MESOS_RECOVERY_TIMEOUT = ms(input.recoveryTimeoutMs);
    env.MESOS_SUBSCRIPTION_BACKOFF_MAX = ms(input.subscriptionBackoffMaxMs);
  }
  if (input.taskId !== undefined) env.MESOS_TASK_ID = input.taskId;
  for (const v of input.command?.environment?.variables ?? []) {
    if (v.type === 'SECRET') continue; // no secret resolver on this agent
    env[v.name] = v.value ?? '';
  }
  return env;
}
