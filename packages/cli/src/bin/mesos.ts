#!/usr/bin/env node
// mesos: operator commands (ps, state, frameworks, agents, cat, tail, reserve, unreserve, volume, teardown,
// resolve). `mesos` alone lists them; `mesos <command> --help` explains one.
import { runMesos } from '../mesos/main.js';

const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
process.once('SIGTERM', () => controller.abort());
// A closed pipe (`mesos ps | head`) is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
});

const code = await runMesos(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  env: process.env,
  now: () => Date.now() / 1000,
  signal: controller.signal,
});
process.exitCode = code;
