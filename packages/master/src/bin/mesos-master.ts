#!/usr/bin/env node
// mesos-master: parses the flags (--help lists them), recovers the registry and serves the APIs until
// SIGTERM/SIGINT. With --zk it serves as a follower (307 to the leader) until elected, and exits 1 when it
// loses the leadership. Logs are structured (pino) on stderr, and also in <log_dir>/mesos-master.log when set.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import pino from 'pino';
import { isMasterError } from '../core/errors.js';
import { parseFlags } from '../flags.js';
import { startMaster } from '../runtime/start.js';

// Memory per running task: under a high allocation rate (every status update leaves short-lived garbage) V8 lets
// the old generation grow to several times the live heap, so the master's RSS grew ~5 KiB per running task
// while its live heap grew ~1.1 KiB (npm run bench, --trace-gc). Letting the heap grow at most 50 % past the
// live size keeps RSS near the live heap, for a few more mark-compacts (incremental, ~10-30 ms each here).
// V8 reads this flag whenever it sizes the heap, so setting it at startup works. An explicit
// `node --heap-growing-percent=N` wins (node does not accept the flag in NODE_OPTIONS).
const heapFlagGiven = process.execArgv.some((a) => /heap[-_]growing[-_]percent/.test(a));
if (!heapFlagGiven) v8.setFlagsFromString('--heap-growing-percent=50');

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseFlags(process.argv.slice(2), process.env);
  } catch (e) {
    // A bad command line exits 2, as every other mesos-ts command does.
    process.stderr.write(`mesos-master: ${isMasterError(e) ? e.message : String(e)}\n`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(parsed.text);
    return;
  }
  const flags = parsed.flags;
  const level = { INFO: 'info', WARNING: 'warn', ERROR: 'error' }[flags.loggingLevel] ?? 'info';
  const streams: pino.StreamEntry[] = [{ stream: pino.destination(2) }];
  if (flags.logDir) {
    mkdirSync(flags.logDir, { recursive: true });
    streams.push({ stream: pino.destination({ dest: join(flags.logDir, 'mesos-master.log'), mkdir: true }) });
  }
  const logger = pino({ level, base: { component: 'mesos-master' } }, pino.multistream(streams));
  // A bug in one handler must not take the whole master (and every framework's stream) down.
  process.on('uncaughtException', (err) => logger.error({ err }, 'uncaught exception'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
  const running = await startMaster(flags, {
    logger,
    // Upstream masters abort when they lose the leadership: nothing they hold may be trusted any more, and a
    // supervisor restarts them as a fresh contender. Already a follower by now (every call answers 307/503).
    onLeadershipLost: (reason) => {
      logger.flush();
      process.stderr.write(`mesos-master: lost the leadership (${reason}); exiting so a supervisor restarts this master as a new contender\n`);
      process.exit(1);
    },
  });
  logger.info({ url: running.url, id: running.master.id, registry: flags.registry, zk: flags.raw.get('zk') }, 'mesos-master is serving');
  const stop = (signal: string): void => {
    logger.info({ signal }, 'stopping');
    void running.stop().then(() => process.exit(0));
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`mesos-master: failed to start: ${(e as Error).message ?? String(e)}\n`);
  process.exit(1);
});
