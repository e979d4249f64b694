import { describe, expect, it } from 'vitest';
import { isExecutorError } from './errors.js';
import { executorEnvironment } from './environment.js';

const base = { MESOS_AGENT_ENDPOINT: '127.0.0.1:5051', MESOS_FRAMEWORK_ID: 'fw-1', MESOS_EXECUTOR_ID: 'ex-1' };

describe('executorEnvironment', () => {
  it('reads the minimum and applies defaults', () => {
    expect(executorEnvironment(base)).toEqual({
      agentEndpoint: '127.0.0.1:5051',
      frameworkId: 'fw-1',
      executorId: 'ex-1',
      directory: undefined,
      sandbox: undefined,
      checkpoint: false,
      recoveryTimeoutMs: 900_000,
      subscriptionBackoffMaxMs: 2_000,
      shutdownGracePeriodMs: 5_000,
      authenticationToken: undefined,
    });
  });

  it('reads everything an agent with checkpointing sets', () => {
    const env = executorEnvironment({
      ...base,
      MESOS_DIRECTORY: '/tmp/mesos/slaves/a/frameworks/fw-1/executors/ex-1/runs/c1',
      MESOS_SANDBOX: '/mnt/mesos/sandbox',
      MESOS_CHECKPOINT: '1',
      MESOS_RECOVERY_TIMEOUT: '15mins',
      MESOS_SUBSCRIPTION_BACKOFF_MAX: '2secs',
      MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '1.5secs',
      MESOS_EXECUTOR_AUTHENTICATION_TOKEN: 'tok',
    });
    expect(env).toMatchObject({ checkpoint: true, recoveryTimeoutMs: 900_000, subscriptionBackoffMaxMs: 2_000, shutdownGracePeriodMs: 1_500, authenticationToken: 'tok', sandbox: '/mnt/mesos/sandbox' });
  });

  it.each([
    [{ ...base, MESOS_AGENT_ENDPOINT: undefined }, 'MESOS_AGENT_ENDPOINT is not set'],
    [{ ...base, MESOS_FRAMEWORK_ID: '' }, 'MESOS_FRAMEWORK_ID is not set'],
    [{ ...base, MESOS_EXECUTOR_ID: undefined }, 'MESOS_EXECUTOR_ID is not set'],
    [{ ...base, MESOS_AGENT_ENDPOINT: 'localhost' }, 'must be ip:port'],
    [{ ...base, MESOS_CHECKPOINT: 'yes' }, 'MESOS_CHECKPOINT'],
    [{ ...base, MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD: '5s' }, "MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD='5s' is not a duration"],
  ])('rejects %j', (env, why) => {
    try {
      executorEnvironment(env);
      expect.unreachable();
    } catch (e) {
      expect(isExecutorError(e, 'INVALID_ENVIRONMENT')).toBe(true);
      expect((e as Error).message).toContain(why);
    }
  });
});
