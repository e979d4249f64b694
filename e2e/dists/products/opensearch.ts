// OpenSearch, laid out like opensearch-<v>-linux-x64.tar.gz without the bundled JDK: lib/ from Maven Central
// (org.opensearch:opensearch, opensearch-plugin-classloader, log4j-core matching the log4j-api it pulls in),
// modules/transport-netty4/ (org.opensearch.plugin:transport-netty4-client with its netty jars, plus the
// plugin descriptor and security policy upstream's build generates), config/ (opensearch.yml, jvm.options,
// log4j2.properties) and a bin/opensearch launcher equivalent to upstream's.
//
// Elasticsearch itself is assembled too (elasticsearch.ts, 7.17); OpenSearch 2.19.6 (the newest that runs on the
// machine's Java 17) is what the Elasticsearch framework's first specs use, with @opensearch-project/opensearch.
//
// Root: OpenSearch refuses to start as root (checked through JNA). Agents here run tasks as root, so whoever
// starts a node as root runs bin/opensearch as an unprivileged user (`setpriv --reuid=65534 ...`, see
// runAsArgs) with its data and log directories owned by that user.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import type { Recipe } from '../recipe.js';
import { JVM_OPTIONS, LOG4J2, smokeSearchNode } from './search-node.js';

const LOG4J_VERSION = '2.25.4';


const LAUNCHER = `#!/bin/sh
# Starts an OpenSearch node (upstream's bin/opensearch, abridged): JVM options from jvm.options plus
# OPENSEARCH_JAVA_OPTS, configuration from OPENSEARCH_PATH_CONF (default config/), settings as -Ename=value.
OPENSEARCH_HOME=$(cd "$(dirname "$0")/.." && pwd)
[ -n "$OPENSEARCH_PATH_CONF" ] || OPENSEARCH_PATH_CONF="$OPENSEARCH_HOME/config"
if [ -n "$JAVA_HOME" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi
JVM_OPTS=$(grep -v '^#' "$OPENSEARCH_PATH_CONF/jvm.options" | grep -v '^$' | tr '\\n' ' ')
exec "$JAVA" $JVM_OPTS -Xss1m -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Djna.nosys=true \\
  -Dio.netty.noUnsafe=true -Dio.netty.noKeySetOptimization=true -Dio.netty.recycler.maxCapacityPerThread=0 \\
  -Dlog4j.shutdownHookEnabled=false -Dlog4j2.disable.jmx=true -Djava.locale.providers=SPI,COMPAT \\
  -Djava.security.manager=allow $OPENSEARCH_JAVA_OPTS \\
  -Dopensearch.path.home="$OPENSEARCH_HOME" -Dopensearch.path.conf="$OPENSEARCH_PATH_CONF" \\
  -Dopensearch.distribution.type=tar -Dopensearch.bundled_jdk=false \\
  -cp "$OPENSEARCH_HOME/lib/*" org.opensearch.bootstrap.OpenSearch "$@"
`;

const YML = `# Defaults; the launcher's -E settings override them.
cluster.name: opensearch
network.host: 127.0.0.1
`;

const descriptor = (version: string): string => `description=Netty 4 based transport implementation
version=${version}
name=transport-netty4
classname=org.opensearch.transport.Netty4Plugin
java.version=11
opensearch.version=${version}
extended.plugins=
has.native.controller=false
`;

// As upstream's modules/transport-netty4/plugin-security.policy: netty accepts and makes connections.
const POLICY = `grant codeBase "\${codebase.netty-common}" {
   permission java.io.FilePermission "/proc/sys/net/core/somaxconn", "read";
   permission java.net.SocketPermission "*", "accept,connect";
   permission java.lang.RuntimePermission "*", "setContextClassLoader";
};
grant codeBase "\${codebase.netty-transport}" {
   permission java.util.PropertyPermission "sun.nio.ch.bugLevel", "write";
};
`;

export const opensearchRecipe: Recipe = {
  product: 'opensearch',
  defaultVersion: '2.19.6',
  versions: ['2.19.6'],
  revision: 1,
  topDir: (version) => `opensearch-${version}`,

  async assemble(ctx) {
    const v = ctx.version;
    const lib = path.join(ctx.outDir, 'lib');
    const module = path.join(ctx.outDir, 'modules', 'transport-netty4');
    for (const d of [lib, module, path.join(ctx.outDir, 'bin'), path.join(ctx.outDir, 'config'), path.join(ctx.outDir, 'plugins'), path.join(ctx.outDir, 'logs')]) mkdirSync(d, { recursive: true });
    const core = await ctx.maven([`org.opensearch:opensearch:${v}`, `org.opensearch:opensearch-plugin-classloader:${v}`, `org.apache.logging.log4j:log4j-core:${LOG4J_VERSION}`]);
    for (const jar of core) copyFileSync(jar, path.join(lib, path.basename(jar)));
    // The module's own class loader holds netty; opensearch core is `provided` for it, so nothing duplicates lib/.
    const netty = await ctx.maven([`org.opensearch.plugin:transport-netty4-client:${v}`], { excludes: ['org.opensearch:*'] });
    for (const jar of netty) copyFileSync(jar, path.join(module, path.basename(jar)));
    writeFileSync(path.join(module, 'plugin-descriptor.properties'), descriptor(v));
    writeFileSync(path.join(module, 'plugin-security.policy'), POLICY);
    writeFileSync(path.join(ctx.outDir, 'bin', 'opensearch'), LAUNCHER);
    chmodSync(path.join(ctx.outDir, 'bin', 'opensearch'), 0o755);
    writeFileSync(path.join(ctx.outDir, 'config', 'opensearch.yml'), YML);
    writeFileSync(path.join(ctx.outDir, 'config', 'jvm.options'), JVM_OPTIONS);
    writeFileSync(path.join(ctx.outDir, 'config', 'log4j2.properties'), LOG4J2);
    ctx.log(`opensearch ${v}: ${core.length} jars in lib/, ${netty.length} in modules/transport-netty4/`);
  },

  smoke(dir, ctx) {
    return smokeSearchNode(dir, ctx, {
      product: 'opensearch',
      launcher: 'opensearch',
      env: (conf, tmp) => ({ OPENSEARCH_PATH_CONF: conf, OPENSEARCH_TMPDIR: tmp }),
      health: async (url) => (await new Client({ node: url }).cluster.health({ wait_for_status: 'green', timeout: '5s' })).body.status,
    });
  },
};
