#!/usr/bin/env node
// `spark-dispatcher`: MesosClusterDispatcher's command line (see --help).
import { readFileSync } from 'node:fs';
import { DISPATCHER_HELP, FlagError, parseDispatcherFlags } from '../cli/dispatcher-flags.js';
import { runDispatcher } from '../scheduler/run-dispatcher.js';

function readFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseDispatcherFlags(argv, readFile);
  } catch (e) {
    if (!(e instanceof FlagError)) throw e;
    process.stderr.write(`Error: ${e.message}\n`);
    return 2;
  }
  if (parsed.help) {
    process.stdout.write(DISPATCHER_HELP);
    return 0;
  }
  let running;
  try {
    running = await runDispatcher(parsed.flags);
  } catch (e) {
    process.stderr.write(`Error: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`spark dispatcher started; submissions at ${running.restUrl.replace(/^https?/, 'mesos')}, UI at ${running.webuiUrl}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.stop();
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
