#!/usr/bin/env node
// The installed `elasticsearch-mesos` command. It runs the built entry point, dist/bin/elasticsearch-mesos.js; this
// small file exists (and is committed) so npm can link the command at install time, before `npm ci`'s build has run.
try {
  await import('../dist/bin/elasticsearch-mesos.js');
} catch (e) {
  if (e?.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/bin/elasticsearch-mesos.js')) {
    console.error('elasticsearch-mesos is not built yet: run `npm run build` (or `npm ci`) at the repository root first.');
    process.exit(1);
  }
  throw e;
}
