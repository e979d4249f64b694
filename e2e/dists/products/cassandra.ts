// Apache Cassandra, laid out like apache-cassandra-<v>-bin.tar.gz: lib/ from Maven Central
// (org.apache.cassandra:cassandra-all with its runtime dependencies), bin/cassandra and bin/nodetool launchers
// equivalent to upstream's (conf/ on the classpath, conf/jvm17-server.options read as upstream's
// cassandra.in.sh does), conf/ with a cassandra.yaml for one local node, logback.xml writing
// ${cassandra.logdir}/system.log, and cassandra-rackdc.properties for GossipingPropertyFileSnitch.
// The JVM defaults suit small machines (SerialGC, one GC thread, 256 MB heap); MAX_HEAP_SIZE / JVM_EXTRA_OPTS
// override them as upstream's cassandra-env.sh allows.
import { spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';

/**
 * cassandra-driver, loaded so it works under vitest too: vitest runs Node with the `import` condition, so the
 * driver's require('long') would get long's ESM build (a namespace without Long.fromInt). Its CommonJS build
 * (umd/index.js) is put in the require cache under the resolved name first.
 */
export function loadCassandraDriver(): typeof import('cassandra-driver') {
  const require = createRequire(import.meta.url);
  const driverRequire = createRequire(require.resolve('cassandra-driver'));
  const resolved = driverRequire.resolve('long');
  // Under the `require` condition (plain node, tsx) `long` already resolves to its CommonJS build.
  const umd = resolved.endsWith(path.join('umd', 'index.js')) ? resolved : path.join(path.dirname(resolved), 'umd', 'index.js');
  if (resolved !== umd && require.cache[resolved] === undefined) {
    driverRequire(umd);
    require.cache[resolved] = require.cache[umd];
  }
  return driverRequire('cassandra-driver') as typeof import('cassandra-driver');
}

import { freePort } from '../../src/harness/ports.js';
import type { Recipe } from '../recipe.js';

/** Upstream's conf/jvm17-server.options, JPMS and Netty part (the G1 part is replaced by SerialGC for small heaps). */
export const JVM17_SERVER_OPTIONS = `# jvm17-server.options: the module openings Cassandra needs on Java 17 (as upstream's file).
-Djdk.attach.allowAttachSelf=true
--add-exports java.base/jdk.internal.misc=ALL-UNNAMED
--add-exports java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED
--add-exports java.rmi/sun.rmi.registry=ALL-UNNAMED
--add-exports java.rmi/sun.rmi.server=ALL-UNNAMED
--add-exports java.sql/java.sql=ALL-UNNAMED
--add-exports java.base/java.lang.ref=ALL-UNNAMED
--add-exports jdk.unsupported/sun.misc=ALL-UNNAMED
--add-exports jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED
--add-exports jdk.attach/sun.tools.attach=ALL-UNNAMED
--add-opens java.base/java.lang.module=ALL-UNNAMED
--add-opens java.base/jdk.internal.loader=ALL-UNNAMED
--add-opens java.base/jdk.internal.ref=ALL-UNNAMED
--add-opens java.base/jdk.internal.reflect=ALL-UNNAMED
--add-opens java.base/jdk.internal.math=ALL-UNNAMED
--add-opens java.base/jdk.internal.module=ALL-UNNAMED
--add-opens java.base/jdk.internal.util.jar=ALL-UNNAMED
--add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED
--add-opens java.base/sun.nio.ch=ALL-UNNAMED
--add-opens java.base/java.io=ALL-UNNAMED
--add-opens java.base/java.lang.reflect=ALL-UNNAMED
--add-opens jdk.compiler/com.sun.tools.javac=ALL-UNNAMED
--add-opens java.base/java.lang=ALL-UNNAMED
--add-opens java.base/java.util=ALL-UNNAMED
-Dio.netty.tryReflectionSetAccessible=true
-Dio.netty.allocator.useCacheForAllThreads=true
-Dio.netty.allocator.maxOrder=11
`;

// Reads conf/jvm17-server.options (comments and blank lines dropped) into JVM_OPTS, as cassandra.in.sh does.
const COMMON = `base_dir=$(cd "$(dirname "$0")/.." && pwd)
[ -n "$CASSANDRA_CONF" ] || CASSANDRA_CONF="$base_dir/conf"
if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
JVM_OPTS=$(grep -v '^#' "$base_dir/conf/jvm17-server.options" | grep -v '^\\s*$' | tr '\\n' ' ')
CLASSPATH="$CASSANDRA_CONF:$base_dir/lib/*"
`;

const CASSANDRA = `#!/bin/sh
# Starts one Cassandra node in the foreground (upstream's bin/cassandra -f). The heap is MAX_HEAP_SIZE
# (default 256M); the node's directories default to $CASSANDRA_HOME/data, its logs to $CASSANDRA_LOG_DIR.
${COMMON}[ -n "$MAX_HEAP_SIZE" ] || MAX_HEAP_SIZE=256M
[ -n "$CASSANDRA_LOG_DIR" ] || CASSANDRA_LOG_DIR="$base_dir/logs"
mkdir -p "$CASSANDRA_LOG_DIR"
[ "$1" = "-f" ] && shift
exec "$JAVA" -Xms$MAX_HEAP_SIZE -Xmx$MAX_HEAP_SIZE -Xss256k -XX:+UseSerialGC -XX:ActiveProcessorCount=1 -XX:MaxDirectMemorySize=128m \\
  -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath="$CASSANDRA_LOG_DIR" $JVM_OPTS \\
  -Dcassandra.config="file://$CASSANDRA_CONF/cassandra.yaml" -Dlogback.configurationFile="$CASSANDRA_CONF/logback.xml" \\
  -Dcassandra.logdir="$CASSANDRA_LOG_DIR" -Dcassandra.storagedir="$base_dir/data" -Dcassandra-foreground=yes \\
  $JVM_EXTRA_OPTS "$@" -cp "$CLASSPATH" org.apache.cassandra.service.CassandraDaemon
`;

const NODETOOL = `#!/bin/sh
# nodetool against a node's JMX port: -h host -p port as upstream's (defaults 127.0.0.1:7199).
${COMMON}exec "$JAVA" -Xmx128m -XX:+UseSerialGC -XX:ActiveProcessorCount=1 -XX:TieredStopAtLevel=1 $JVM_OPTS \\
  -Dcassandra.storagedir="$base_dir/data" -Dlogback.configurationFile="$CASSANDRA_CONF/logback-tools.xml" \\
  -cp "$CLASSPATH" org.apache.cassandra.tools.NodeTool "$@"
`;

const LOGBACK = `<configuration scan="false">
  <!-- system.log under \${cassandra.logdir} and INFO to stdout, as upstream's conf/logback.xml -->
  <appender name="SYSTEMLOG" class="ch.qos.logback.core.FileAppender">
    <file>\${cassandra.logdir}/system.log</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
    <filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>INFO</level></filter>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="SYSTEMLOG"/><appender-ref ref="STDOUT"/></root>
</configuration>
`;

const LOGBACK_TOOLS = `<configuration scan="false">
  <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
    <target>System.err</target>
    <encoder><pattern>%-5level %date{ISO8601} %msg%n</pattern></encoder>
  </appender>
  <root level="WARN"><appender-ref ref="STDERR"/></root>
</configuration>
`;

export interface NodeYaml {
  clusterName: string;
  /** The node's listen and rpc address (an agent's loopback address in tests). */
  address: string;
  /** seed `ip:storagePort` entries. */
  seeds: string[];
  storagePort: number;
  nativePort: number;
  /** Directory holding data/, commitlog/, saved_caches/, hints/, cdc_raw/. */
  dataDir: string;
  numTokens?: number;
}

/** A cassandra.yaml for one node: few tokens, small caches, GossipingPropertyFileSnitch. */
export function cassandraYaml(p: NodeYaml): string {
  return `cluster_name: '${p.clusterName.replace(/'/g, "''")}'
num_tokens: ${p.numTokens ?? 16}
allocate_tokens_for_local_replication_factor: 2
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
data_file_directories:
  - ${p.dataDir}/data
commitlog_directory: ${p.dataDir}/commitlog
saved_caches_directory: ${p.dataDir}/saved_caches
hints_directory: ${p.dataDir}/hints
cdc_raw_directory: ${p.dataDir}/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "${p.seeds.join(',')}"
listen_address: ${p.address}
rpc_address: ${p.address}
storage_port: ${p.storagePort}
native_transport_port: ${p.nativePort}
start_native_transport: true
endpoint_snitch: GossipingPropertyFileSnitch
concurrent_compactors: 1
concurrent_reads: 4
concurrent_writes: 4
concurrent_counter_writes: 4
key_cache_size: 8MiB
memtable_heap_space: 32MiB
memtable_offheap_space: 32MiB
`;
}

export const cassandraRecipe: Recipe = {
  product: 'cassandra',
  defaultVersion: '5.0.6',
  versions: ['5.0.6'],
  revision: 1,
  topDir: (version) => `apache-cassandra-${version}`,

  async assemble(ctx) {
    const jars = await ctx.maven([`org.apache.cassandra:cassandra-all:${ctx.version}`]);
    const lib = path.join(ctx.outDir, 'lib');
    mkdirSync(lib, { recursive: true });
    for (const jar of jars) copyFileSync(jar, path.join(lib, path.basename(jar)));
    const bin = path.join(ctx.outDir, 'bin');
    const conf = path.join(ctx.outDir, 'conf');
    mkdirSync(bin);
    mkdirSync(conf);
    mkdirSync(path.join(ctx.outDir, 'logs'));
    for (const [name, body] of Object.entries({ cassandra: CASSANDRA, nodetool: NODETOOL })) {
      writeFileSync(path.join(bin, name), body);
      chmodSync(path.join(bin, name), 0o755);
    }
    writeFileSync(path.join(conf, 'jvm17-server.options'), JVM17_SERVER_OPTIONS);
    writeFileSync(path.join(conf, 'logback.xml'), LOGBACK);
    writeFileSync(path.join(conf, 'logback-tools.xml'), LOGBACK_TOOLS);
    writeFileSync(path.join(conf, 'cassandra-rackdc.properties'), 'dc=DC1\nrack=RAC1\n');
    writeFileSync(
      path.join(conf, 'cassandra.yaml'),
      cassandraYaml({ clusterName: 'Test Cluster', address: '127.0.0.1', seeds: ['127.0.0.1:7000'], storagePort: 7000, nativePort: 9042, dataDir: '/var/lib/cassandra' }),
    );
  },

  async smoke(dir, ctx) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'cassandra-smoke-'));
    const [storagePort, nativePort, jmxPort] = [await freePort(), await freePort(), await freePort()];
    const conf = path.join(scratch, 'conf');
    mkdirSync(conf);
    for (const f of ['logback.xml', 'logback-tools.xml', 'cassandra-rackdc.properties']) copyFileSync(path.join(dir, 'conf', f), path.join(conf, f));
    writeFileSync(path.join(conf, 'cassandra.yaml'), cassandraYaml({ clusterName: 'smoke', address: '127.0.0.1', seeds: [`127.0.0.1:${storagePort}`], storagePort, nativePort, dataDir: path.join(scratch, 'vol') }));
    const env = { ...process.env, CASSANDRA_CONF: conf, CASSANDRA_LOG_DIR: path.join(scratch, 'logs'), JVM_EXTRA_OPTS: `-Dcassandra.jmx.local.port=${jmxPort} -Dcassandra.skip_wait_for_gossip_to_settle=0` };
    const server = spawn(path.join(dir, 'bin', 'cassandra'), ['-f'], { env, stdio: 'ignore', detached: true });
    const cassandra = loadCassandraDriver();
    const client = new cassandra.Client({ contactPoints: [`127.0.0.1:${nativePort}`], localDataCenter: 'DC1' });
    try {
      ctx.log(`cassandra smoke: node starting on 127.0.0.1:${nativePort}`);
      const deadline = Date.now() + 180_000;
      for (;;) {
        try {
          await client.connect();
          break;
        } catch (e) {
          if (server.exitCode !== null) throw new Error(`cassandra smoke: the node exited with ${server.exitCode}: ${tail(path.join(scratch, 'logs', 'system.log'))}`);
          if (Date.now() > deadline) throw new Error(`cassandra smoke: no CQL answer within 180 s (${(e as Error).message}): ${tail(path.join(scratch, 'logs', 'system.log'))}`);
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
      const rs = await client.execute('SELECT release_version FROM system.local');
      const version = String(rs.first()?.get('release_version'));
      if (!version.startsWith(dir.split('-').pop()!.slice(0, 3))) throw new Error(`cassandra smoke: release_version is '${version}'`);
      ctx.log(`cassandra smoke: SELECT release_version FROM system.local = ${version}`);
    } finally {
      await client.shutdown().catch(() => undefined);
      if (server.pid !== undefined) {
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

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return `(no ${file})`;
  }
}
