#!/usr/bin/env node
// `kafka-mesos`: the scheduler, the broker/topic CLI, and the executor agents start.
import { readFileSync } from 'node:fs';
import { main } from '../cli/main.js';
import { parseSchedulerFlags } from '../cli/scheduler-flags.js';
import { runExecutor } from '../executor/run-executor.js';
import { runScheduler } from '../scheduler/run-scheduler.js';

function readFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function scheduler(argv: readonly string[]): Promise<number> {
  let flags;
  try {
    flags = parseSchedulerFlags(argv, readFile);
  } catch (e) {
    // A bad command line: say what was wrong, exit 2 like every other usage error.
    process.stderr.write(`Error: ${(e as Error).message}\n`);
    return 2;
  }
  let running;
  try {
    running = await runScheduler(flags);
  } catch (e) {
    // A TLS setting it cannot honour (LIBPROCESS_SSL_*): say which, exit before serving anything.
    if ((e as Error).name !== 'SecurityConfigError') throw e;
    process.stderr.write(`Error: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`scheduler started; API at ${running.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  return 0;
}

const code = await main(process.argv.slice(2), {
  env: process.env,
  readFile,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  scheduler,
  executor: runExecutor,
});
process.exitCode = code;
