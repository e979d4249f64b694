// Elasticsearch 7.17 (the OSS flavour), laid out like elasticsearch-<v>-linux-x86_64.tar.gz without the bundled
// JDK: lib/ from Maven Central (org.elasticsearch:elasticsearch, elasticsearch-plugin-classloader, the
// log4j-core its log4j-api needs), modules/transport-netty4/ (org.elasticsearch.plugin:transport-netty4-client
// with its netty jars, plus the plugin descriptor and security policy upstream's build generates), config/
// (elasticsearch.yml, jvm.options, log4j2.properties) and a bin/elasticsearch launcher equivalent to upstream's.
// The node answers @elastic/elasticsearch 7.x (it sends `X-Elastic-Product: Elasticsearch`, which the client
// checks). 7.17 is the last line with the OSS flavour; 8.x's server jars also resolve but were not tried.
//
// Root: like OpenSearch, Elasticsearch refuses to start as root; runAsArgs() (search-node.ts) drops to uid 65534.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@elastic/elasticsearch';
import type { Recipe } from '../recipe.js';
import { JVM_OPTIONS, LOG4J2, smokeSearchNode } from './search-node.js';


/** The log4j-api Elasticsearch 7.17 depends on; log4j-core must match it. */
const LOG4J_VERSION = '2.17.1';

const LAUNCHER = `#!/bin/sh
# Starts an Elasticsearch node (upstream's bin/elasticsearch, abridged): JVM options from jvm.options plus
# ES_JAVA_OPTS, configuration from ES_PATH_CONF (default config/), settings as -Ename=value.
ES_HOME=$(cd "$(dirname "$0")/.." && pwd)
[ -n "$ES_PATH_CONF" ] || ES_PATH_CONF="$ES_HOME/config"
[ -n "$ES_TMPDIR" ] || ES_TMPDIR=$(mktemp -d -t elasticsearch.XXXXXXXX)
if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
JVM_OPTS=$(grep -v '^#' "$ES_PATH_CONF/jvm.options" | grep -v '^$' | tr '\\n' ' ')
export LIBFFI_TMPDIR="$ES_TMPDIR"
exec "$JAVA" $JVM_OPTS -Xss1m -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true \\
  -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \\
  -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Djava.locale.providers=SPI,COMPAT \\
  -Djava.security.manager=allow -Djava.io.tmpdir="$ES_TMPDIR" $ES_JAVA_OPTS \\
  -Des.path.home="$ES_HOME" -Des.path.conf="$ES_PATH_CONF" \\
  -Des.distribution.flavor=oss -Des.distribution.type=tar -Des.bundled_jdk=false \\
  -cp "$ES_HOME/lib/*" org.elasticsearch.bootstrap.Elasticsearch "$@"
`;

const YML = `# Defaults; the launcher's -E settings override them.
cluster.name: elasticsearch
network.host: 127.0.0.1
`;

const descriptor = (version: string): string => `description=Netty 4 based transport implementation
version=${version}
name=transport-netty4
classname=org.elasticsearch.transport.Netty4Plugin
java.version=1.8
elasticsearch.version=${version}
extended.plugins=
has.native.controller=false
`;

// As upstream's modules/transport-netty4/plugin-security.policy (7.17): netty reads the socket backlog, accepts and
// makes connections, and sets the context class loader of its internal threads (without that grant a node can
// hang at "starting ..." when netty's GlobalEventExecutor thread starts: AccessControlException setContextClassLoader).
const POLICY = `grant codeBase "\${codebase.netty-common}" {
   permission java.io.FilePermission "/proc/sys/net/core/somaxconn", "read";
   permission java.net.SocketPermission "*", "accept,connect";
   permission java.lang.RuntimePermission "setContextClassLoader";
};
grant codeBase "\${codebase.netty-transport}" {
   permission java.net.SocketPermission "*", "accept,connect";
   permission java.util.PropertyPermission "sun.nio.ch.bugLevel", "write";
};
`;

export const elasticsearchRecipe: Recipe = {
  product: 'elasticsearch',
  defaultVersion: '7.17.25',
  versions: ['7.17.25'],
  revision: 2,
  topDir: (version) => `elasticsearch-${version}`,

  async assemble(ctx) {
    const v = ctx.version;
    const lib = path.join(ctx.outDir, 'lib');
    const module = path.join(ctx.outDir, 'modules', 'transport-netty4');
    // bin/ must exist even when empty of anything but the launcher: the node checks path.home/bin is readable.
    for (const d of [lib, module, path.join(ctx.outDir, 'bin'), path.join(ctx.outDir, 'config'), path.join(ctx.outDir, 'plugins'), path.join(ctx.outDir, 'logs')]) mkdirSync(d, { recursive: true });
    const core = await ctx.maven([`org.elasticsearch:elasticsearch:${v}`, `org.elasticsearch:elasticsearch-plugin-classloader:${v}`, `org.apache.logging.log4j:log4j-core:${LOG4J_VERSION}`]);
    for (const jar of core) copyFileSync(jar, path.join(lib, path.basename(jar)));
    // The module's own class loader holds netty; the server is `provided` for it, so nothing duplicates lib/.
    const netty = await ctx.maven([`org.elasticsearch.plugin:transport-netty4-client:${v}`], { excludes: ['org.elasticsearch:*'] });
    for (const jar of netty) copyFileSync(jar, path.join(module, path.basename(jar)));
    writeFileSync(path.join(module, 'plugin-descriptor.properties'), descriptor(v));
    writeFileSync(path.join(module, 'plugin-security.policy'), POLICY);
    writeFileSync(path.join(ctx.outDir, 'bin', 'elasticsearch'), LAUNCHER);
    chmodSync(path.join(ctx.outDir, 'bin', 'elasticsearch'), 0o755);
    writeFileSync(path.join(ctx.outDir, 'config', 'elasticsearch.yml'), YML);
    writeFileSync(path.join(ctx.outDir, 'config', 'jvm.options'), JVM_OPTIONS);
    writeFileSync(path.join(ctx.outDir, 'config', 'log4j2.properties'), LOG4J2);
    ctx.log(`elasticsearch ${v}: ${core.length} jars in lib/, ${netty.length} in modules/transport-netty4/`);
  },

  smoke(dir, ctx) {
    return smokeSearchNode(dir, ctx, {
      product: 'elasticsearch',
      launcher: 'elasticsearch',
      env: (conf, tmp) => ({ ES_PATH_CONF: conf, ES_TMPDIR: tmp }),
      health: async (url) => (await new Client({ node: url }).cluster.health({ wait_for_status: 'green', timeout: '5s' })).body.status,
    });
  },
};
