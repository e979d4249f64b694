#!/usr/bin/env node
// `elasticsearch-mesos [flags]`: the scheduler (REST API and web UI on --webUiPort); `elasticsearch-mesos
// executor`: the executor agents start in a node's sandbox. As upstream's scheduler, SIGTERM/SIGINT end the
// framework (every node stops); a scheduler that dies (kill -9) leaves the nodes running for its successor.
import { requestText } from '@mesos-ts/framework-kit';
import { FLAG_HELP, FlagError, parseFlags } from '../domain/flags.js';
import { runExecutor } from '../executor/run-executor.js';
import { runScheduler } from '../scheduler/run-scheduler.js';

export function helpText(): string {
  const width = Math.max(...FLAG_HELP.map(([f]) => f.length));
  return [
    'Usage: elasticsearch-mesos --zookeeperMesosUrl=zk://host:2181/mesos | --master=host:5050 --elasticsearchBinaryUrl=<uri> [flags]',
    '       elasticsearch-mesos executor      (started by the agents, not by hand)',
    '       elasticsearch-mesos health [URL]  exit 0 when the scheduler at URL (default http://$HOST:$PORT0) answers /health',
    '',
    'Runs an Elasticsearch cluster on Mesos: N nodes, one per agent, data on reserved persistent volumes when',
    '--frameworkRole is not *, the REST API and web UI on --webUiPort. SIGTERM tears the framework down.',
    'Flags also come from ELASTICSEARCH_MESOS_<FLAG_IN_SNAKE_CASE> and MESOS_MASTER.',
    '',
    ...FLAG_HELP.map(([f, d]) => `  ${f.padEnd(width)}  ${d}`),
    '',
  ].join('\n');
}

/** `health [URL]`: the app JSON's COMMAND health check (Mesos' HTTP checks would ask 127.0.0.1, not $HOST). */
async function health(url: string | undefined): Promise<number> {
  const base = url ?? `http://${process.env.HOST ?? '127.0.0.1'}:${process.env.PORT0 ?? '31100'}`;
  try {
    // framework-kit's client: https:// (or LIBPROCESS_SSL_ENABLED) is verified against LIBPROCESS_SSL_CA_FILE.
    const res = await requestText(`${base.replace(/\/+$/, '')}/health`, { timeoutMs: 5_000 });
    process.stdout.write(`${res.status} ${res.text}\n`);
    return res.status >= 200 && res.status < 300 ? 0 : 1;
  } catch (e) {
    process.stderr.write(`${base}/health: ${(e as Error).message}\n`);
    return 1;
  }
}

async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'executor') return runExecutor();
  if (argv[0] === 'health') return health(argv[1]);
  if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'help') {
    process.stdout.write(helpText());
    return 0;
  }
  let running;
  try {
    running = await runScheduler(parseFlags(argv, process.env));
  } catch (e) {
    // A bad flag, or a TLS setting (LIBPROCESS_SSL_*) it cannot honour: say which, serve nothing.
    if (!(e instanceof FlagError) && (e as Error).name !== 'SecurityConfigError') throw e;
    process.stderr.write(`Error: ${(e as Error).message}\n`);
    return e instanceof FlagError ? 2 : 1;
  }
  process.stdout.write(`elasticsearch-mesos started; web UI at ${running.url}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await running.teardown();
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
