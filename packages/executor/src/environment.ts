// The environment an agent gives an executor it launches (docs/executor-http-api.md). Pure: takes the env
// object, returns typed settings or an INVALID_ENVIRONMENT error naming the variable.
import { parseDuration } from '@mesos-ts/wire';
import { ExecutorError } from './errors.js';

export interface ExecutorEnvironment {
  /** `host:port` of the agent (MESOS_AGENT_ENDPOINT). */
  agentEndpoint: string;
  frameworkId: string;
  executorId: string;
  /** Sandbox path on the agent host (MESOS_DIRECTORY) and inside the container (MESOS_SANDBOX). */
  directory: string | undefined;
  sandbox: string | undefined;
  /** Whether the framework checkpoints: then the executor survives an agent restart and re-subscribes. */
  checkpoint: boolean;
  /** How long to keep trying to re-subscribe after losing the agent, ms (only with checkpointing). Default 15 min. */
  recoveryTimeoutMs: number;
  /** Upper bound of the random delay between re-subscription attempts, ms. Default 2 s. */
  subscriptionBackoffMaxMs: number;
  /** Time the executor has to finish after SHUTDOWN, ms. Default 5 s. */
  shutdownGracePeriodMs: number;
  /** Bearer token for the agent API (MESOS_EXECUTOR_AUTHENTICATION_TOKEN). */
  authenticationToken: string | undefined;
}

export const EXECUTOR_DEFAULTS = {
  recoveryTimeoutMs: 15 * 60_000,
  subscriptionBackoffMaxMs: 2_000,
  shutdownGracePeriodMs: 5_000,
} as const;

export function executorEnvironment(env: Readonly<Record<string, string | undefined>>): ExecutorEnvironment {
  const required = (name: string): string => {
    const value = env[name];
    if (value === undefined || value === '') {
      throw new ExecutorError('INVALID_ENVIRONMENT', `${name} is not set; executors must be launched by a Mesos agent, which sets it`);
    }
    return value;
  };
  const duration = (name: string, fallback: number): number => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    try {
      return Number(parseDuration(value) / 1_000_000n);
    } catch (e) {
      throw new ExecutorError('INVALID_ENVIRONMENT', `${name}='${value}' is not a duration: ${(e as Error).message}`, { cause: e });
    }
  };
  const endpoint = required('MESOS_AGENT_ENDPOINT').replace(/^https?:\/\//, '');
  if (!/^[^\s/:]+:\d{1,5}$|^\[[^\]]+\]:\d{1,5}$/.test(endpoint)) {
    throw new ExecutorError('INVALID_ENVIRONMENT', `MESOS_AGENT_ENDPOINT='${env.MESOS_AGENT_ENDPOINT}' must be ip:port, e.g. 127.0.0.1:5051`);
  }
  const checkpoint = env.MESOS_CHECKPOINT ?? '0';
  if (!['0', '1', 'true', 'false'].includes(checkpoint)) {
    throw new ExecutorError('INVALID_ENVIRONMENT', `MESOS_CHECKPOINT='${checkpoint}' must be 1 or 0`);
  }
  return {
    agentEndpoint: endpoint,
    frameworkId: required('MESOS_FRAMEWORK_ID'),
    executorId: required('MESOS_EXECUTOR_ID'),
    directory: env.MESOS_DIRECTORY,
    sandbox: env.MESOS_SANDBOX,
    checkpoint: checkpoint === '1' || checkpoint === 'true',
    recoveryTimeoutMs: duration('MESOS_RECOVERY_TIMEOUT', EXECUTOR_DEFAULTS.recoveryTimeoutMs),
    subscriptionBackoffMaxMs: duration('MESOS_SUBSCRIPTION_BACKOFF_MAX', EXECUTOR_DEFAULTS.subscriptionBackoffMaxMs),
    shutdownGracePeriodMs: duration('MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD', EXECUTOR_DEFAULTS.shutdownGracePeriodMs),
    authenticationToken: env.MESOS_EXECUTOR_AUTHENTICATION_TOKEN || undefined,
  };
}
