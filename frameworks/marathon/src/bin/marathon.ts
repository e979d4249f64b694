#!/usr/bin/env node
// `marathon`: the Marathon-compatible launcher, until SIGINT/SIGTERM.
import { pino } from 'pino';
import { HELP, parseFlags } from '../cli/flags.js';
import { runLauncher } from '../scheduler/run-launcher.js';

let parsed;
try {
  parsed = parseFlags(process.argv.slice(2), process.env);
} catch (e) {
  process.stderr.write(`marathon: ${(e as Error).message}\n`);
  process.exit(2);
}
if (parsed.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const logger = pino({ base: { component: 'marathon' } });
let running;
try {
  running = await runLauncher(parsed.flags, logger);
} catch (e) {
  // E.g. LIBPROCESS_SSL_ENABLED without a usable certificate: say what to fix, serve nothing.
  process.stderr.write(`marathon: ${(e as Error).message}\n`);
  process.exit(1);
}
logger.info({ api: running.url, master: parsed.flags.master }, 'marathon launcher started');
await new Promise<void>((resolve) => {
  process.once('SIGINT', resolve);
  process.once('SIGTERM', resolve);
});
await running.stop();
process.exit(0);
