#!/usr/bin/env node
// The installed `kafka-mesos` command. It runs the built entry point, dist/bin/kafka-mesos.js; this small file exists
// (and is committed) so npm can link the command at install time, before `npm ci`'s build has run.
try {
  await import('../dist/bin/kafka-mesos.js');
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/bin/kafka-mesos.js')) {
    console.error('kafka-mesos is not built yet: run `npm run build` (or `npm ci`) at the repository root first.');
    process.exit(1);
  }
  throw e;
}
