// Apache Kafka, laid out like kafka_2.13-<v>.tgz: libs/ from Maven Central (org.apache.kafka:kafka_2.13 and
// kafka-tools with their runtime dependencies), bin/ launchers equivalent to upstream's (kafka-run-class.sh,
// kafka-server-start.sh, kafka-storage.sh, kafka-topics.sh, kafka-server-stop.sh), config/ with a KRaft
// server.properties and the logging config writing ${kafka.logs.dir}/server.log as upstream's does.
// 4.x logs through log4j2; 3.9.x through reload4j (log4j 1 API) and also runs in ZooKeeper mode.
// The JVM defaults suit small machines (SerialGC, one GC thread); KAFKA_HEAP_OPTS / KAFKA_JVM_PERFORMANCE_OPTS
// override them as upstream's scripts allow.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { freePort } from '../../src/harness/ports.js';
import type { Recipe } from '../recipe.js';
import { run } from '../registries.js';

const LOG4J2_VERSION = '2.24.3';

const isLog4j2 = (version: string): boolean => Number(version.split('.')[0]) >= 4;

const RUN_CLASS = `#!/bin/sh
# Runs a Kafka class with the distribution's libs on the classpath (upstream's kafka-run-class.sh, abridged).
base_dir=$(cd "$(dirname "$0")/.." && pwd)
[ -n "$LOG_DIR" ] || LOG_DIR="$base_dir/logs"
mkdir -p "$LOG_DIR"
if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
[ -n "$KAFKA_HEAP_OPTS" ] || KAFKA_HEAP_OPTS="-Xmx256M"
[ -n "$KAFKA_JVM_PERFORMANCE_OPTS" ] || KAFKA_JVM_PERFORMANCE_OPTS="-server -XX:+UseSerialGC -XX:ActiveProcessorCount=1 -XX:TieredStopAtLevel=1 -Djava.awt.headless=true"
[ -n "$KAFKA_LOG4J_OPTS" ] || KAFKA_LOG4J_OPTS="@LOG4J_OPTS@"
exec "$JAVA" $KAFKA_HEAP_OPTS $KAFKA_JVM_PERFORMANCE_OPTS -Dkafka.logs.dir="$LOG_DIR" $KAFKA_LOG4J_OPTS $KAFKA_OPTS -cp "$base_dir/libs/*" "$@"
`;

const script = (main: string, heap = ''): string => `#!/bin/sh
${heap}exec "$(dirname "$0")/kafka-run-class.sh" ${main} "$@"
`;

const SERVER_START = `#!/bin/sh
if [ $# -lt 1 ]; then echo "USAGE: $0 server.properties [--override property=value]*" >&2; exit 1; fi
[ -n "$KAFKA_HEAP_OPTS" ] || export KAFKA_HEAP_OPTS="-Xmx1G -Xms1G"
exec "$(dirname "$0")/kafka-run-class.sh" kafka.Kafka "$@"
`;

const SERVER_STOP = `#!/bin/sh
# Stops every broker of this machine, as upstream's script does (SIGTERM to each kafka.Kafka JVM).
pids=$(ps ax -o pid=,args= | grep 'kafka\\.Kafka ' | grep java | grep -v grep | awk '{print $1}')
[ -n "$pids" ] || { echo "No kafka server to stop"; exit 1; }
kill -s TERM $pids
`;

const LOG4J2 = `# Console and \${kafka.logs.dir}/server.log, as upstream's config/log4j2.yaml.
status = warn
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
appender.server.type = File
appender.server.name = SERVER
appender.server.fileName = \${sys:kafka.logs.dir}/server.log
appender.server.layout.type = PatternLayout
appender.server.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
rootLogger.appenderRef.server.ref = SERVER
`;

const LOG4J1 = `# Console and \${kafka.logs.dir}/server.log, as upstream's config/log4j.properties.
log4j.rootLogger=INFO, stdout, kafkaAppender
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.appender.kafkaAppender=org.apache.log4j.FileAppender
log4j.appender.kafkaAppender.File=\${kafka.logs.dir}/server.log
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=[%d] %p %m (%c)%n
`;

/** A single-node KRaft server (combined broker and controller), as upstream's config/server.properties. */
const serverProperties = (p: { nodeId: number; host: string; port: number; controllerPort: number; logDirs: string }): string => `process.roles=broker,controller
node.id=${p.nodeId}
controller.quorum.voters=${p.nodeId}@${p.host}:${p.controllerPort}
listeners=PLAINTEXT://${p.host}:${p.port},CONTROLLER://${p.host}:${p.controllerPort}
advertised.listeners=PLAINTEXT://${p.host}:${p.port}
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
num.network.threads=2
num.io.threads=2
log.dirs=${p.logDirs}
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
`;

export const kafkaRecipe: Recipe = {
  product: 'kafka',
  defaultVersion: '4.1.1',
  versions: ['4.1.1', '3.9.1'],
  revision: 1,
  topDir: (version) => `kafka_2.13-${version}`,

  async assemble(ctx) {
    const log4j = isLog4j2(ctx.version)
      ? [`org.apache.logging.log4j:log4j-core:${LOG4J2_VERSION}`, `org.apache.logging.log4j:log4j-slf4j-impl:${LOG4J2_VERSION}`]
      : [];
    const jars = await ctx.maven([`org.apache.kafka:kafka_2.13:${ctx.version}`, `org.apache.kafka:kafka-tools:${ctx.version}`, ...log4j]);
    const libs = path.join(ctx.outDir, 'libs');
    mkdirSync(libs, { recursive: true });
    for (const jar of jars) copyFileSync(jar, path.join(libs, path.basename(jar)));
    const bin = path.join(ctx.outDir, 'bin');
    const config = path.join(ctx.outDir, 'config');
    mkdirSync(bin);
    mkdirSync(config);
    mkdirSync(path.join(ctx.outDir, 'logs'));
    const log4jOpts = isLog4j2(ctx.version) ? '-Dlog4j2.configurationFile=$base_dir/config/log4j2.properties' : '-Dlog4j.configuration=file:$base_dir/config/log4j.properties';
    const scripts: Record<string, string> = {
      'kafka-run-class.sh': RUN_CLASS.replace('@LOG4J_OPTS@', log4jOpts),
      'kafka-server-start.sh': SERVER_START,
      'kafka-server-stop.sh': SERVER_STOP,
      'kafka-storage.sh': script('kafka.tools.StorageTool'),
      'kafka-topics.sh': script('org.apache.kafka.tools.TopicCommand'),
      'kafka-console-producer.sh': script(isLog4j2(ctx.version) ? 'org.apache.kafka.tools.ConsoleProducer' : 'kafka.tools.ConsoleProducer'),
      'kafka-console-consumer.sh': script(isLog4j2(ctx.version) ? 'org.apache.kafka.tools.consumer.ConsoleConsumer' : 'kafka.tools.ConsoleConsumer'),
    };
    for (const [name, body] of Object.entries(scripts)) {
      writeFileSync(path.join(bin, name), body);
      chmodSync(path.join(bin, name), 0o755);
    }
    writeFileSync(path.join(config, isLog4j2(ctx.version) ? 'log4j2.properties' : 'log4j.properties'), isLog4j2(ctx.version) ? LOG4J2 : LOG4J1);
    writeFileSync(path.join(config, 'server.properties'), serverProperties({ nodeId: 1, host: 'localhost', port: 9092, controllerPort: 9093, logDirs: '/tmp/kraft-combined-logs' }));
  },

  async smoke(dir, ctx) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'kafka-smoke-'));
    const [port, controllerPort] = [await freePort(), await freePort()];
    const props = path.join(scratch, 'server.properties');
    writeFileSync(props, serverProperties({ nodeId: 1, host: '127.0.0.1', port, controllerPort, logDirs: path.join(scratch, 'data') }));
    const env = { ...process.env, LOG_DIR: path.join(scratch, 'logs'), KAFKA_HEAP_OPTS: '-Xmx256M -Xms256M' };
    let server: ReturnType<typeof spawn> | undefined;
    try {
      await run(path.join(dir, 'bin', 'kafka-storage.sh'), ['format', '-t', 'MkU3OEVBNTcwNTJENDM2Qg', '-c', props], { env });
      server = spawn(path.join(dir, 'bin', 'kafka-server-start.sh'), [props], { env, stdio: 'ignore', detached: true });
      ctx.log(`kafka smoke: broker starting on 127.0.0.1:${port}`);
      const kafka = new Kafka({ clientId: 'dists-smoke', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 300, maxRetryTime: 2000 } });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: 'smoke', numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
      await admin.disconnect();
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: 'smoke', messages: [{ value: 'hello from the dists tool' }] });
      await producer.disconnect();
      const consumer = kafka.consumer({ groupId: 'smoke' });
      await consumer.connect();
      await consumer.subscribe({ topic: 'smoke', fromBeginning: true });
      const got = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('kafka smoke: no message consumed within 60 s')), 60_000);
        void consumer.run({ eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value?.toString() ?? '');
        } });
      });
      await consumer.disconnect();
      if (got !== 'hello from the dists tool') throw new Error(`kafka smoke: consumed '${got}'`);
      const serverLog = readFileSync(path.join(scratch, 'logs', 'server.log'), 'utf8');
      if (!serverLog.includes('Kafka Server started')) throw new Error(`kafka smoke: logs/server.log lacks 'Kafka Server started' (logging is not configured): ${serverLog.slice(0, 500)}`);
      ctx.log('kafka smoke: produced and consumed one message with kafkajs');
    } finally {
      if (server?.pid !== undefined) {
        try {
          process.kill(-server.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
