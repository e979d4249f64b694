// The help pages of the `kafka-mesos` CLI in kafka-mesos' layout: title, `Usage:`, the Option/Description
// table, Generic Options (`--api`), then expression/constraint examples. Pure text.
import { formatHelpPage, formatTable, type OptionHelp } from '@mesos-ts/framework-kit';

const BROKER_EXPR = [
  'broker-expr examples:',
  '  0      - broker 0',
  '  0,1    - brokers 0,1',
  '  0..2   - brokers 0,1,2',
  '  0,1..2 - brokers 0,1,2',
  '  *      - any broker',
  'attribute filtering:',
  '  *[rack=r1]           - any broker having rack=r1',
  '  *[hostname=slave*]   - any broker on host with name starting with \'slave\'',
  '  0..4[rack=r1,dc=dc1] - any broker having rack=r1 and dc=dc1',
];

const TOPIC_EXPR = ['topic-expr examples:', '  t0        - topic t0', '  t0,t1     - topics t0, t1', '  *         - any topic', "  t*        - topics starting with 't'"];

const CONSTRAINTS = [
  'constraint examples:',
  "  like:master     - value equals 'master'",
  "  unlike:master   - value not equals 'master'",
  "  like:slave.*    - value starts with 'slave'",
  '  unique          - all values are unique',
  '  cluster         - all values are the same',
  "  cluster:master  - value equals 'master'",
  '  groupBy         - all values are the same',
  '  groupBy:3       - all values are within 3 different groups',
];

/** `broker add|update` options: CLI name, REST parameter, help row. */
export const BROKER_OPTIONS: ReadonlyArray<{ option: string; param: string; help: OptionHelp }> = [
  { option: 'cpus', param: 'cpus', help: { name: '--cpus', arg: 'Double', description: 'cpu amount (0.5, 1, 2). Default - 1' } },
  { option: 'mem', param: 'mem', help: { name: '--mem', arg: 'Long', description: 'mem amount in Mb. Default - 2048' } },
  { option: 'heap', param: 'heap', help: { name: '--heap', arg: 'Long', description: 'heap amount in Mb. Default - 1024' } },
  { option: 'disk', param: 'disk', help: { name: '--disk', arg: 'Long', description: 'size of the data volume in Mb (persistent volume, needs a framework role other than *). Default - 1024' } },
  { option: 'port', param: 'port', help: { name: '--port', arg: 'String', description: 'port or range (31092, 31090..31100). Default - auto' } },
  { option: 'volume', param: 'volume', help: { name: '--volume', arg: 'String', description: 'pre-reserved persistent volume id (never destroyed by remove). Default - automatic volume' } },
  { option: 'bind-address', param: 'bindAddress', help: { name: '--bind-address', arg: 'String', description: 'broker bind address (broker0, 192.168.50.*, if:eth1). Default - auto' } },
  { option: 'constraints', param: 'constraints', help: { name: '--constraints', arg: 'String', description: 'constraints (hostname=like:master,rack=like:1.*). See below.' } },
  { option: 'options', param: 'options', help: { name: '--options', arg: 'String', description: 'server.properties options or file. Examples: log.dirs=/tmp/kafka/$id,num.io.threads=16 or file:server.properties ($id is the broker id; with a data volume, log.dirs are directories on the volume)' } },
  { option: 'log4j-options', param: 'log4jOptions', help: { name: '--log4j-options', arg: 'String', description: 'log4j options or file. Examples: log4j.logger.kafka=DEBUG\\, kafkaAppender or file:log4j.properties' } },
  { option: 'jvm-options', param: 'jvmOptions', help: { name: '--jvm-options', arg: 'String', description: 'jvm options string (-Xms128m -XX:PermSize=48m)' } },
  { option: 'failover-delay', param: 'failoverDelay', help: { name: '--failover-delay', arg: 'String', description: 'failover delay (10s, 5m, 3h). Default - 1m' } },
  { option: 'failover-max-delay', param: 'failoverMaxDelay', help: { name: '--failover-max-delay', arg: 'String', description: 'max failover delay. See failoverDelay. Default - 10m' } },
  { option: 'failover-max-tries', param: 'failoverMaxTries', help: { name: '--failover-max-tries', arg: 'String', description: 'max failover tries. Default - none' } },
  { option: 'stickiness-period', param: 'stickinessPeriod', help: { name: '--stickiness-period', arg: 'String', description: 'stickiness period to preserve same node for broker (5m, 10m, 1h). Default - 10m' } },
];

const TIMEOUT = (what: string, dflt: string): OptionHelp => ({ name: '--timeout', arg: 'String', description: `${what} (30s, 1m, 1h). 0s - no timeout. Default - ${dflt}` });

const PAGES: Readonly<Record<string, () => string>> = {
  'broker list': () => formatHelpPage({ title: 'List brokers', usage: 'broker list [<broker-expr>] [options]', footer: BROKER_EXPR }),
  'broker add': () => formatHelpPage({ title: 'Add broker', usage: 'broker add <broker-expr> [options]', options: BROKER_OPTIONS.map((o) => o.help), footer: [...BROKER_EXPR, ...CONSTRAINTS] }),
  'broker update': () =>
    formatHelpPage({ title: 'Update broker', usage: 'broker update <broker-expr> [options]', options: BROKER_OPTIONS.map((o) => o.help), footer: [...BROKER_EXPR, ...CONSTRAINTS, '', 'Note: use "" arg to unset an option'] }),
  'broker remove': () =>
    formatHelpPage({
      title: 'Remove broker',
      usage: 'broker remove <broker-expr> [options]',
      options: [{ name: '--force', description: 'also destroy the data volume and unreserve its resources (needed once the broker has stored data)' }],
      footer: [...BROKER_EXPR, '', 'Note: a broker must be stopped to be removed. A pre-reserved --volume is never destroyed.'],
    }),
  'broker clone': () => formatHelpPage({ title: 'Clone broker', usage: 'broker clone <broker-expr> --source <id> [options]', options: [{ name: '--source', arg: 'Integer', description: 'id of the broker to copy settings from' }], footer: BROKER_EXPR }),
  'broker start': () => formatHelpPage({ title: 'Start broker', usage: 'broker start <broker-expr> [options]', options: [TIMEOUT('timeout', '60s'), { name: '--pending', description: 'after a timeout keep brokers without a task active (pending); by default they are stopped again' }], footer: BROKER_EXPR }),
  'broker stop': () => formatHelpPage({ title: 'Stop broker', usage: 'broker stop <broker-expr> [options]', options: [{ name: '--force', description: 'forcibly stop' }, TIMEOUT('timeout', '60s')], footer: BROKER_EXPR }),
  'broker restart': () => formatHelpPage({ title: 'Restart broker', usage: 'broker restart <broker-expr> [options]', options: [TIMEOUT('time to wait until broker restarts', '2m')], footer: BROKER_EXPR }),
  'broker log': () =>
    formatHelpPage({
      title: 'Retrieve broker log',
      usage: 'broker log <broker-id> [options]',
      options: [
        { name: '--name', arg: 'String', description: 'name of log file (stdout, stderr, server.log). Default - stdout' },
        { name: '--lines', arg: 'Integer', description: 'maximum number of lines to read from the end of file. Default - 100' },
        TIMEOUT('timeout', '30s'),
      ],
    }),
  'topic list': () => formatHelpPage({ title: 'List topics', usage: 'topic list [<topic-expr>] [options]', footer: TOPIC_EXPR }),
  'topic add': () =>
    formatHelpPage({
      title: 'Add topic',
      usage: 'topic add <topic-expr> [options]',
      options: [
        { name: '--broker', arg: 'String', description: '<broker-expr>. Default - *. See below.' },
        { name: '--options', arg: 'String', description: 'topic options. Example: flush.ms=60000,retention.ms=6000000' },
        { name: '--partitions', arg: 'Integer', description: 'partitions count. Default - 1' },
        { name: '--replicas', arg: 'Integer', description: 'replicas count. Default - 1' },
      ],
      footer: [...TOPIC_EXPR, ...BROKER_EXPR],
    }),
  'topic update': () =>
    formatHelpPage({ title: 'Update topic', usage: 'topic update <topic-expr> [options]', options: [{ name: '--options', arg: 'String', description: 'topic options. Example: flush.ms=60000,retention.ms=6000000' }], footer: TOPIC_EXPR }),
  'topic rebalance': () =>
    formatHelpPage({
      title: 'Rebalance topics',
      usage: 'topic rebalance <topic-expr>|status [options]',
      options: [
        { name: '--broker', arg: 'String', description: '<broker-expr>. Default - *. See below.' },
        { name: '--replicas', arg: 'Integer', description: 'replicas count. Default - 1' },
        TIMEOUT('timeout', '0s'),
      ],
      footer: [...TOPIC_EXPR, ...BROKER_EXPR],
    }),
};

const GROUPS: Readonly<Record<string, { title: string; commands: Array<[string, string]> }>> = {
  broker: {
    title: 'Broker management commands',
    commands: [['list', 'list brokers'], ['add', 'add broker'], ['update', 'update broker'], ['remove', 'remove broker'], ['clone', 'clone broker'], ['start', 'start broker'], ['stop', 'stop broker'], ['restart', 'restart broker'], ['log', 'retrieve broker log']],
  },
  topic: { title: 'Topic management commands', commands: [['list', 'list topics'], ['add', 'add topic'], ['update', 'update topic'], ['rebalance', 'rebalance topics']] },
};

/** The page for `help [cmd [sub]]`, or undefined for an unknown command. */
export function helpPage(args: readonly string[], schedulerHelp: () => string): string | undefined {
  const [cmd, sub] = args;
  if (cmd === undefined) return generalHelp();
  if (cmd === 'scheduler') return schedulerHelp();
  if (cmd === 'help') return 'Print general or command-specific help\nUsage: help [cmd [cmd]]\n';
  const group = GROUPS[cmd];
  if (group === undefined) return undefined;
  if (sub === undefined) {
    const rows = group.commands.map(([c, d]) => [`  ${c}`, `- ${d}`]);
    return `${group.title}\nUsage: ${cmd} <command>\n\nCommands:\n${formatTable(rows)}\n\nRun \`help ${cmd} <command>\` to see details of specific command\n`;
  }
  return PAGES[`${cmd} ${sub}`]?.();
}

export function generalHelp(): string {
  const rows = [
    ['  help [cmd [cmd]]', '- print general or command-specific help'],
    ['  scheduler', '- start scheduler'],
    ['  broker', '- broker management commands'],
    ['  topic', '- topic management commands'],
  ];
  return `Usage: <command>\n\nCommands:\n${formatTable(rows)}\n\nRun \`help <command>\` to see details of specific command\n`;
}
