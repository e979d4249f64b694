// `kafka-mesos scheduler [options] [kafka-mesos.properties]`: kafka-mesos' flags and defaults (frameworks.md
// §1.2), plus --kafka-dist. Values come from the flags, else the properties file (keys = flag names without
// `--`; `./kafka-mesos.properties` when no file is given and it exists), else the defaults. Pure parsing.
import { formatOptionTable, parseArgs, parseDurationMs, type OptionHelp } from '@mesos-ts/framework-kit';
import { KafkaError } from '../domain/errors.js';

/**
 * Where the scheduler keeps its state by default (relative to its working directory): upstream's name, so an
 * operator's existing state file is found after an upgrade.
 */
export const DEFAULT_STATE_FILE = 'kafka-mesos.json';

export interface SchedulerFlags {
  api: string;
  bindAddress: string | undefined;
  debug: boolean;
  frameworkName: string;
  frameworkRole: string;
  frameworkTimeoutMs: number;
  jre: string | undefined;
  kafkaDist: string | undefined;
  log: string | undefined;
  master: string;
  principal: string | undefined;
  secret: string | undefined;
  storage: string;
  user: string | undefined;
  zk: string | undefined;
}

const FLAGS: ReadonlyArray<{ name: string; help: OptionHelp }> = [
  { name: 'api', help: { name: '--api', arg: 'String', description: 'Api url. Example: http://master:7000' } },
  { name: 'bind-address', help: { name: '--bind-address', arg: 'String', description: 'Scheduler bind address (master, 0.0.0.0, 192.168.50.*, if:eth1). Default - all' } },
  { name: 'debug', help: { name: '--debug', arg: 'Boolean', description: 'Debug mode. Default - false' } },
  { name: 'framework-name', help: { name: '--framework-name', arg: 'String', description: 'Framework name. Default - kafka' } },
  { name: 'framework-role', help: { name: '--framework-role', arg: 'String', description: 'Framework role (persistent volumes need a role other than *). Default - *' } },
  { name: 'framework-timeout', help: { name: '--framework-timeout', arg: 'String', description: 'Framework timeout (30s, 1m, 1h). Default - 30d' } },
  { name: 'jre', help: { name: '--jre', arg: 'String', description: 'JRE zip-file (jre-7-openjdk.zip). Default - none.' } },
  { name: 'kafka-dist', help: { name: '--kafka-dist', arg: 'String', description: 'Kafka distribution, a .tgz or a directory, served to executors. Default - kafka*.tgz in the current dir' } },
  { name: 'log', help: { name: '--log', arg: 'String', description: 'Log file to use. Default - stdout.' } },
  { name: 'master', help: { name: '--master', arg: 'String', description: 'Master connection settings. Examples: master:5050, master:5050,master2:5050, zk://master:2181/mesos' } },
  { name: 'principal', help: { name: '--principal', arg: 'String', description: 'Principal (username) used to register framework. Default - none' } },
  { name: 'secret', help: { name: '--secret', arg: 'String', description: 'Secret (password) used to register framework. Default - none' } },
  { name: 'storage', help: { name: '--storage', arg: 'String', description: 'Storage for cluster state. Examples: file:kafka-mesos.json, zk:/kafka-mesos. Default - file:kafka-mesos.json' } },
  { name: 'user', help: { name: '--user', arg: 'String', description: 'Mesos user to run tasks. Default - none' } },
  { name: 'zk', help: { name: '--zk', arg: 'String', description: 'Kafka zookeeper.connect. Examples: master:2181, master:2181,master2:2181. Default - none (KRaft mode)' } },
];

export function schedulerHelp(): string {
  return `Start scheduler \nUsage: scheduler [options] [config.properties]\n\n${formatOptionTable(FLAGS.map((f) => f.help))}\n`;
}

/** Parses a Java-style properties file (`key=value` or `key: value`, `#`/`!` comments). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:\s]\s*(.*)$/.exec(line);
    if (m !== null) out.set(m[1]!, m[2]!);
    else out.set(line, '');
  }
  return out;
}

/** Flags from the command line and a properties file's contents (undefined = none). */
export function parseSchedulerFlags(argv: readonly string[], readFile: (path: string) => string | undefined): SchedulerFlags {
  const parsed = parseArgs(argv, { options: Object.fromEntries(FLAGS.map((f) => [f.name, f.name !== 'debug'])), command: 'scheduler' });
  // --debug may be given as a flag or with a value (--debug=true).
  const file = parsed.positionals[0];
  if (parsed.positionals.length > 1) throw new KafkaError('INVALID_PARAMETER', `unexpected arguments ${parsed.positionals.slice(1).join(' ')}; usage: scheduler [options] [config.properties]`);
  const fileText = readFile(file ?? 'kafka-mesos.properties');
  if (file !== undefined && fileText === undefined) throw new KafkaError('INVALID_PARAMETER', `cannot read properties file ${file}; give an existing file or none`);
  const props = parseProperties(fileText ?? '');
  for (const key of props.keys()) {
    if (!FLAGS.some((f) => f.name === key) && key !== 'clusterStorage') throw new KafkaError('INVALID_PARAMETER', `unknown key '${key}' in ${file ?? 'kafka-mesos.properties'}; keys are the scheduler flag names (see 'help scheduler')`);
  }
  const get = (name: string): string | undefined => parsed.options[name] ?? props.get(name) ?? (name === 'storage' ? props.get('clusterStorage') : undefined);
  const required = (name: string, example: string): string => {
    const v = get(name);
    if (v === undefined || v === '') throw new KafkaError('INVALID_PARAMETER', `--${name} is required, e.g. --${name}=${example} (or ${name}=… in kafka-mesos.properties)`);
    return v;
  };
  const debug = get('debug');
  let frameworkTimeoutMs: number;
  try {
    frameworkTimeoutMs = parseDurationMs(get('framework-timeout') ?? '30d');
  } catch (e) {
    throw new KafkaError('INVALID_PARAMETER', `invalid --framework-timeout: ${(e as Error).message}`);
  }
  return {
    api: required('api', 'http://master:7000'),
    bindAddress: get('bind-address'),
    debug: debug !== undefined && debug !== 'false',
    frameworkName: get('framework-name') ?? 'kafka',
    frameworkRole: get('framework-role') ?? '*',
    frameworkTimeoutMs,
    jre: get('jre'),
    kafkaDist: get('kafka-dist'),
    log: get('log'),
    master: required('master', 'master:5050'),
    principal: get('principal'),
    secret: get('secret'),
    // Not upstream's kafka-mesos.json: that name is the Marathon app JSON beside this framework (and a state
    // file must never be mistaken for, or overwrite, a tracked file); .gitignore lists this one.
    storage: get('storage') ?? `file:${DEFAULT_STATE_FILE}`,
    user: get('user'),
    zk: get('zk'),
  };
}
