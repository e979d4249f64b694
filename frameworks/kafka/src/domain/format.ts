// The CLI's output blocks, laid out exactly like kafka-mesos' (`broker added:` + two-space indented fields,
// blank lines between brokers, plural headers for several). Pure: JSON from the REST API in, text out.
import type { BrokerJson } from './broker-json.js';
import type { TopicJson } from './topic.js';

/** `broker added:` / `brokers added:` followed by each broker's block; `no brokers` style line when empty. */
export function formatBrokers(verb: string, brokers: readonly BrokerJson[]): string {
  if (brokers.length === 0) return verb === '' ? 'no brokers\n' : `no brokers ${verb}\n`;
  const header = `${brokers.length === 1 ? 'broker' : 'brokers'}${verb === '' ? '' : ` ${verb}`}:`;
  return `${header}\n${brokers.map((b) => formatBroker(b, 1)).join('\n')}`;
}

export function formatBroker(b: BrokerJson, indent = 0): string {
  const lines: Array<[number, string]> = [];
  const add = (text: string, level = 0): void => void lines.push([level, text]);
  add(`id: ${b.id}`);
  add(`active: ${b.active}`);
  add(`state: ${b.state}${b.needsRestart === true ? ' (modified, needs restart)' : ''}`);
  let resources = `cpus:${b.cpus.toFixed(2)}, mem:${b.mem}, heap:${b.heap}, port:${b.port}`;
  if (b.disk !== undefined) resources += `, disk:${b.disk}`;
  if (b.volume !== undefined) resources += `, volume:${b.volume}`;
  add(`resources: ${resources}`);
  if (b.bindAddress !== undefined) add(`bind-address: ${b.bindAddress}`);
  if (b.constraints !== undefined) add(`constraints: ${b.constraints}`);
  if (b.options !== undefined) add(`options: ${b.options}`);
  if (b.log4jOptions !== undefined) add(`log4j-options: ${b.log4jOptions}`);
  if (b.jvmOptions !== undefined) add(`jvm-options: ${b.jvmOptions}`);
  let failover = `failover: delay:${b.failover.delay}, max-delay:${b.failover.maxDelay}`;
  if (b.failover.maxTries !== undefined) failover += `, max-tries:${b.failover.maxTries}`;
  add(failover);
  let stickiness = `stickiness: period:${b.stickiness.period}`;
  if (b.stickiness.hostname !== undefined) stickiness += `, hostname:${b.stickiness.hostname}`;
  if (b.stickiness.expires !== undefined) stickiness += `, expires:${b.stickiness.expires}`;
  add(stickiness);
  if (b.task !== undefined) {
    add('task:');
    add(`id: ${b.task.id}`, 1);
    add(`running: ${b.task.running}`, 1);
    if (!b.task.running) add(`state: ${b.task.state}`, 1);
    add(`endpoint: ${b.task.endpoint}${b.bindAddress === undefined ? '' : ` (${b.task.hostname})`}`, 1);
    const attributes = Object.entries(b.task.attributes).filter(([k]) => k !== 'hostname');
    if (attributes.length > 0) add(`attributes: ${attributes.map(([k, v]) => `${k}=${v}`).join(',')}`, 1);
  }
  // Only once the executor reported (right after TASK_RUNNING, then every 30 s): the book's `broker started:`
  // sample, printed before any report, stays exact.
  if (b.metrics !== undefined) {
    add('metrics:');
    add(`collected: ${b.metrics.collected}`, 1);
    add(`under-replicated-partitions: ${b.metrics.underReplicatedPartitions}`, 1);
    add(`offline-partitions-count: ${b.metrics.offlinePartitionsCount}`, 1);
    add(`is-active-controller: ${b.metrics.activeControllerCount}`, 1);
  }
  return lines.map(([level, text]) => `${'  '.repeat(indent + level)}${text}\n`).join('');
}

/** `topic added:` / `topics:` blocks: name, partitions `0:[0, 1], 1:[1, 2]`, options. */
export function formatTopics(verb: string, topics: readonly TopicJson[]): string {
  if (topics.length === 0) return verb === '' ? 'no topics\n' : `no topics ${verb}\n`;
  const header = `${topics.length === 1 ? 'topic' : 'topics'}${verb === '' ? '' : ` ${verb}`}:`;
  return `${header}\n${topics.map((t) => formatTopic(t, 1)).join('\n')}`;
}

export function formatTopic(t: TopicJson, indent = 0): string {
  const pad = '  '.repeat(indent);
  const partitions = Object.entries(t.partitions)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([p, replicas]) => `${p}:[${replicas}]`)
    .join(', ');
  const lines = [`name: ${t.name}`, `partitions: ${partitions}`];
  if (Object.keys(t.options).length > 0) lines.push(`options: ${Object.entries(t.options).map(([k, v]) => `${k}=${v}`).join(',')}`);
  if (t.leaders !== undefined) lines.push(`leaders: ${Object.entries(t.leaders).map(([p, l]) => `${p}:${l}`).join(', ')}`);
  if (t.isr !== undefined) lines.push(`isr: ${Object.entries(t.isr).map(([p, isr]) => `${p}:[${isr}]`).join(', ')}`);
  return lines.map((l) => `${pad}${l}\n`).join('');
}
