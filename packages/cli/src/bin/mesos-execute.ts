#!/usr/bin/env node
// mesos-execute: runs one task on the cluster and exits 0 if it finished, 1 otherwise, 2 on bad flags.
import { describeError } from '../errors.js';
import { parseExecuteArgs } from '../execute/flags.js';
import { execute } from '../execute/run.js';

async function main(): Promise<number> {
  const parsed = parseExecuteArgs(process.argv.slice(2), process.env);
  if (parsed.help) {
    process.stdout.write(parsed.text);
    return 0;
  }
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  return execute(parsed.options, { out: (s) => process.stdout.write(s), signal: controller.signal });
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const { exitCode, message } = describeError(e);
    process.stderr.write(`mesos-execute: ${message}\n`);
    process.exit(exitCode);
  },
);
