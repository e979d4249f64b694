#!/usr/bin/env node
// mesos-executor: the built-in command executor (and default executor for task groups). The agent starts it
// in the task's sandbox with the executor API environment (MESOS_AGENT_ENDPOINT, MESOS_FRAMEWORK_ID, …).
import path from 'node:path';
import { parseDuration } from '@mesos-ts/wire';
import { BuiltinExecutor } from '../exec/builtin-executor.js';
import { EXECUTOR_UPDATES_FILE } from '../executor-env.js';
import { HealthChecker } from '../health/index.js';

function required(name: string): string {
  const v = process.env[name];
  if (v === undefined || v === '') {
    process.stderr.write(`mesos-executor: ${name} is not set; this program is started by mesos-agent, not by hand\n`);
    process.exit(2);
  }
  return v;
}

const ms = (text: string | undefined, fallback: number): number => (text ? Number(parseDuration(text) / 1_000_000n) : fallback);

const sandbox = process.env.MESOS_SANDBOX ?? process.cwd();
const env: Record<string, string> = {};
for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;

const executor = new BuiltinExecutor({
  frameworkId: required('MESOS_FRAMEWORK_ID'),
  executorId: required('MESOS_EXECUTOR_ID'),
  agentEndpoint: required('MESOS_AGENT_ENDPOINT'),
  sandbox,
  checkpoint: process.env.MESOS_CHECKPOINT === '1',
  shutdownGraceMs: ms(process.env.MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD, 5000),
  recoveryTimeoutMs: ms(process.env.MESOS_RECOVERY_TIMEOUT, 15 * 60_000),
  backoffMaxMs: ms(process.env.MESOS_SUBSCRIPTION_BACKOFF_MAX, 2000),
  env,
  updatesFile: path.join(sandbox, EXECUTOR_UPDATES_FILE),
  healthCheckers: (check, opts) => new HealthChecker(check, opts),
  log: (msg) => process.stderr.write(`mesos-executor: ${msg}\n`),
});

process.on('SIGTERM', () => executor.terminate());
process.on('SIGINT', () => executor.terminate());
executor.run().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`mesos-executor: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
