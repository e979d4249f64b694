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
  const flags = parseFlags(argv, process.env, (p) => readFileSync(p, 'utf8'));
  // Validate --master before anything touches the disk.
  const detector = createMasterDetector(flags.master);
  const log = pino({ name: 'mesos-agent', level: process.env.MESOS_LOG_LEVEL ?? 'info' }, pino.destination(2));
  const resources = agentResources(flags.resources, flags.default_role, machineFacts(flags.work_dir));
  const attributes = flags.attributes ? parseAttributes(flags.attributes) : [];
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
