#!/usr/bin/env node
// mesos-agent: runs tasks for the master. `mesos-agent --help` lists every flag.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import pino from 'pino';
import { parseAttributes } from '@mesos-ts/resources';
import { Agent } from '../agent.js';
import { Fetcher } from '../fetcher/index.js';
import { FlagsError, helpText, parseFlags } from '../flags.js';
import { createMasterDetector } from '../master-detector.js';
import { agentResources, machineFacts } from '../resources-detect.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText()}\n`);
    return;
  }
  // Everything the command line says is checked here, before anything touches the disk: a bad command line
  // exits 2, as every other mesos-ts command does; a failure to start (e.g. missing cgroups) exits 1.
  let parsed;
  try {
    const flags = parseFlags(argv, process.env, (p) => readFileSync(p, 'utf8'));
    const detector = createMasterDetector(flags.master);
    const resources = agentResources(flags.resources, flags.default_role, machineFacts(flags.work_dir));
    const attributes = flags.attributes ? parseAttributes(flags.attributes) : [];
    parsed = { flags, detector, resources, attributes };
  } catch (e) {
    process.stderr.write(`mesos-agent: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const { flags, detector, resources, attributes } = parsed;
  const log = pino({ name: 'mesos-agent', level: process.env.MESOS_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const agent = new Agent({
    flags: { ...flags, hostname: flags.hostname ?? os.hostname() },
    log,
    resources,
    attributes,
    detector,
    fetcher: new Fetcher({ cacheDir: flags.fetcher_cache_dir, cacheSizeBytes: flags.fetcher_cache_size_bytes, log }),
    onShutdown: (message) => {
      log.error({ message }, 'agent shut down by the master');
      void agent.stop().then(() => process.exit(1));
    },
  });
  await agent.start();
  log.info({ resources: resources.toString() }, 'resources');
  const stop = (): void => {
    // Executors keep running: checkpointing ones are recovered by the next agent, the others exit on their own.
    void agent.stop().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: unknown) => {
  const code = (e as { code?: string }).code;
  process.stderr.write(`mesos-agent: ${(e as Error).message}${e instanceof FlagsError || code ? '' : `\n${(e as Error).stack}`}\n`);
  process.exit(1);
});
