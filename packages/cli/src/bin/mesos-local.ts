#!/usr/bin/env node
// mesos-local: an embedded cluster (a master and N agents in this process) until Ctrl-C.
import { describeError } from '../errors.js';
import { startCluster } from '../mesos-local/cluster.js';
import { banner } from '../mesos-local/banner.js';
import { parseLocalArgs } from '../mesos-local/flags.js';
import { prepareWorkDir } from '../mesos-local/work-dir.js';

async function main(): Promise<number> {
  const parsed = parseLocalArgs(process.argv.slice(2), process.env, process.cwd());
  if (parsed.help) {
    process.stdout.write(parsed.text);
    return 0;
  }
  prepareWorkDir(parsed.options.workDir);
  const started = Date.now();
  const cluster = await startCluster(parsed.options);
  process.stdout.write(banner(cluster, parsed.options.workDir, Date.now() - started));
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      process.stdout.write(`\n${signal}: killing tasks and stopping the cluster…\n`);
      void cluster.stop().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  process.stdout.write('mesos-local stopped.\n');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    const { exitCode, message } = describeError(e);
    const m = /EADDRINUSE.*:(\d+)\s*$/m.exec(message);
    process.stderr.write(`mesos-local: ${m ? `port ${m[1]} is already in use (another mesos-local or mesos-master?); pick another with --port` : message}\n`);
    process.exit(exitCode);
  },
);
