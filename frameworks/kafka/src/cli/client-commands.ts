// `broker …` and `topic …`: the CLI as a client of the scheduler's REST API. The API URL comes from --api,
// else the KM_API environment variable, else `api=` in ./kafka-mesos.properties. Output as kafka-mesos.
import { apiRequest, parseArgs, resolveApiUrl } from '@mesos-ts/framework-kit';
import type { BrokerJson } from '../domain/broker-json.js';
import { KafkaError } from '../domain/errors.js';
import { formatBrokers, formatTopics } from '../domain/format.js';
import { formatOptionsMap } from '../domain/options-map.js';
import type { TopicJson } from '../domain/topic.js';
import { BROKER_OPTIONS } from './help-pages.js';
import { parseProperties } from './scheduler-flags.js';

export interface ClientIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a file for `file:` option values and kafka-mesos.properties; undefined when absent. */
  readFile: (path: string) => string | undefined;
  out: (text: string) => void;
}

interface CommandSpec {
  options: Record<string, boolean>;
  /** Positional argument name sent as a parameter (`broker`, `topic`), if any. */
  positional?: 'broker' | 'topic';
  optionalPositional?: boolean;
}

const TIMEOUT = { timeout: true };
const BROKER_ADD = Object.fromEntries(BROKER_OPTIONS.map((o) => [o.option, true]));

const COMMANDS: Readonly<Record<string, CommandSpec>> = {
  'broker list': { options: {}, positional: 'broker', optionalPositional: true },
  'broker add': { options: BROKER_ADD, positional: 'broker' },
  'broker update': { options: BROKER_ADD, positional: 'broker' },
  'broker remove': { options: { force: false }, positional: 'broker' },
  'broker clone': { options: { source: true }, positional: 'broker' },
  // --pending: after a timeout, brokers not placed yet stay active (pending) instead of being stopped again.
  'broker start': { options: { ...TIMEOUT, pending: false }, positional: 'broker' },
  'broker stop': { options: { ...TIMEOUT, force: false }, positional: 'broker' },
  'broker restart': { options: TIMEOUT, positional: 'broker' },
  'broker log': { options: { ...TIMEOUT, name: true, lines: true }, positional: 'broker' },
  'topic list': { options: {}, positional: 'topic', optionalPositional: true },
  'topic add': { options: { broker: true, partitions: true, replicas: true, options: true }, positional: 'topic' },
  'topic update': { options: { options: true }, positional: 'topic' },
  'topic rebalance': { options: { broker: true, replicas: true, timeout: true }, positional: 'topic' },
};

export function isClientCommand(group: string, sub: string | undefined): boolean {
  return COMMANDS[`${group} ${sub}`] !== undefined;
}

/** Runs `broker <sub> …` / `topic <sub> …`; resolves with the exit code. Errors throw (printed by main). */
export async function runClientCommand(group: string, sub: string, argv: readonly string[], io: ClientIo): Promise<number> {
  const name = `${group} ${sub}`;
  const spec = COMMANDS[name]!;
  const parsed = parseArgs(argv, { options: { ...spec.options, api: true }, command: name });
  const [positional, ...extra] = parsed.positionals;
  if (extra.length > 0) throw new KafkaError('INVALID_PARAMETER', `unexpected arguments '${extra.join(' ')}'; see 'help ${name}'`);
  if (positional === undefined && spec.optionalPositional !== true) throw new KafkaError('INVALID_PARAMETER', `${spec.positional}-expr required; see 'help ${name}'`);
  const props = parseProperties(io.readFile('kafka-mesos.properties') ?? '');
  const api = resolveApiUrl(parsed.options.api ?? (io.env.KM_API === undefined ? props.get('api') : undefined), io.env, 'KM_API');
  const params: Record<string, string> = {};
  if (positional !== undefined && spec.positional !== undefined) params[spec.positional] = positional;
  for (const [option, value] of Object.entries(parsed.options)) {
    if (option === 'api') continue;
    const param = group === 'broker' ? (BROKER_OPTIONS.find((o) => o.option === option)?.param ?? option) : option;
    params[param] = (option === 'options' || option === 'log4j-options') && value.startsWith('file:') ? readOptionsFile(value.slice(5), io) : value;
  }
  const timeoutMs = 10 * 60_000;
  const answer = (await apiRequest(api, `/api/${group}/${sub}`, params, { timeoutMs })) as Record<string, unknown>;
  return print(name, answer, io);
}

function readOptionsFile(path: string, io: ClientIo): string {
  const text = io.readFile(path);
  if (text === undefined) throw new KafkaError('INVALID_PARAMETER', `cannot read ${path}; give an existing properties file after file:`);
  return formatOptionsMap(parseProperties(text));
}

function print(name: string, answer: Record<string, unknown>, io: ClientIo): number {
  const brokers = (answer.brokers ?? []) as BrokerJson[];
  const topics = (answer.topics ?? []) as TopicJson[];
  const many = brokers.length > 1 ? 'brokers' : 'broker';
  switch (name) {
    case 'broker list':
      io.out(formatBrokers('', brokers));
      return 0;
    case 'broker add':
      io.out(formatBrokers('added', brokers));
      return 0;
    case 'broker update':
      io.out(formatBrokers('updated', brokers));
      return 0;
    case 'broker clone':
      io.out(formatBrokers('cloned', brokers));
      return 0;
    case 'broker remove':
      io.out(`${String(answer.ids).includes(',') ? 'brokers' : 'broker'} ${String(answer.ids)} removed\n`);
      return 0;
    case 'broker start':
    case 'broker stop': {
      const verb = name === 'broker start' ? 'start' : 'stop';
      if (answer.status === 'timeout') {
        const unplaced = Object.entries((answer.unplaced ?? {}) as Record<string, string[]>);
        const why = unplaced.map(([id, reasons]) => `\n  broker ${id}: ${reasons.length === 0 ? 'no offers yet' : `no matching offers yet:\n${reasons.map((r) => `    ${r}`).join('\n')}`}`).join('');
        throw new KafkaError('TIMEOUT', `${many} ${verb} timeout${why}`);
      }
      io.out(formatBrokers(answer.status === 'scheduled' ? `scheduled to ${verb}` : String(answer.status), brokers));
      return 0;
    }
    case 'broker restart':
      io.out(formatBrokers('restarted', brokers));
      return 0;
    case 'broker log':
      io.out(String(answer.content ?? ''));
      if (!String(answer.content ?? '').endsWith('\n') && String(answer.content ?? '') !== '') io.out('\n');
      return 0;
    case 'topic list':
      io.out(formatTopics('', topics));
      return 0;
    case 'topic add':
      io.out(formatTopics('added', topics));
      return 0;
    case 'topic update':
      io.out(formatTopics('updated', topics));
      return 0;
    case 'topic rebalance': {
      const moving = (answer.moving ?? []) as string[];
      io.out(`rebalance ${String(answer.status)}${moving.length === 0 ? '' : `: moving ${moving.join(', ')}`}\n`);
      if (topics.length > 0) io.out(formatTopics('', topics));
      return answer.status === 'timeout' ? 1 : 0;
    }
  }
  return 0;
}
