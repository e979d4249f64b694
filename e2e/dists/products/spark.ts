// Apache Spark, laid out like spark-<v>-bin-hadoop3.tgz, from the `pyspark` source distribution on PyPI: it
// carries Spark's own launch scripts (deps/bin: spark-submit, spark-class, …), every jar of the binary
// distribution (deps/jars, Hadoop 3 client included), and the Python side (pyspark/, lib/pyspark.zip and the
// py4j zip). Maven Central has the same jars, but the wheel is one consistent set that Spark's release process
// produced, so it is the source. conf/ gets the usual templates and a RELEASE file names the build.
// Smoke: spark-submit runs a PySpark job in local mode over 4 partitions (Python workers included), on Java 17
// with a small heap, bound to 127.0.0.1.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Recipe } from '../recipe.js';
import { run } from '../registries.js';

const HADOOP_VERSION = '3.3.4';

const SPARK_DEFAULTS = `# Default system properties included when running spark-submit (upstream's spark-defaults.conf.template).
# spark.master                     spark://master:7077
# spark.eventLog.enabled           true
# spark.driver.memory              5g
`;

const SPARK_ENV = `#!/usr/bin/env bash
# Sourced by Spark's launch scripts (upstream's spark-env.sh.template). Examples:
# SPARK_LOCAL_IP=127.0.0.1
# PYSPARK_PYTHON=python3
`;

const LOG4J2 = `# Spark's console logging (upstream's conf/log4j2.properties.template, abridged).
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n%ex
`;

/** The smoke job: 4 partitions through Python workers (an RDD) and through the JVM alone (a DataFrame). */
const SMOKE_JOB = `from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("dists-smoke").getOrCreate()
rdd = spark.sparkContext.parallelize(range(1000), 4)
squares = rdd.map(lambda x: x * x).sum()
partitions = rdd.getNumPartitions()
per_partition = rdd.glom().map(len).collect()
total = spark.range(0, 1000, 1, 4).selectExpr("sum(id) AS s").collect()[0]["s"]
print("SMOKE partitions=%d per_partition=%s squares=%d total=%d version=%s" % (partitions, per_partition, squares, total, spark.version))
spark.stop()
`;

export const sparkRecipe: Recipe = {
  product: 'spark',
  defaultVersion: '3.5.8',
  versions: ['3.5.8'],
  revision: 1,
  topDir: (version) => `spark-${version}-bin-hadoop3`,

  async assemble(ctx) {
    const sdist = await ctx.pip(`pyspark==${ctx.version}`);
    ctx.log(`spark ${ctx.version}: unpacking ${path.basename(sdist)}`);
    const unpacked = path.join(ctx.workDir, 'unpacked');
    mkdirSync(unpacked);
    await run('tar', ['-C', unpacked, '-xzf', sdist]);
    const src = path.join(unpacked, `pyspark-${ctx.version}`);
    const deps = path.join(src, 'deps');
    for (const need of ['bin', 'jars', 'sbin']) {
      if (!existsSync(path.join(deps, need))) throw new Error(`pyspark ${ctx.version} from PyPI has no deps/${need}/: it is not a Spark distribution this recipe knows`);
    }
    // Upstream's tarball: bin sbin jars data examples licenses python conf, plus README.md and RELEASE.
    for (const dir of ['bin', 'sbin', 'jars', 'data', 'licenses']) {
      if (existsSync(path.join(deps, dir))) renameSync(path.join(deps, dir), path.join(ctx.outDir, dir));
    }
    if (existsSync(path.join(deps, 'examples'))) {
      mkdirSync(path.join(ctx.outDir, 'examples', 'src', 'main'), { recursive: true });
      renameSync(path.join(deps, 'examples'), path.join(ctx.outDir, 'examples', 'src', 'main', 'python'));
    }
    mkdirSync(path.join(ctx.outDir, 'python'));
    renameSync(path.join(src, 'pyspark'), path.join(ctx.outDir, 'python', 'pyspark'));
    renameSync(path.join(src, 'lib'), path.join(ctx.outDir, 'python', 'lib'));
    if (existsSync(path.join(src, 'README.md'))) renameSync(path.join(src, 'README.md'), path.join(ctx.outDir, 'README.md'));
    for (const dir of ['bin', 'sbin']) {
      for (const name of readdirSync(path.join(ctx.outDir, dir))) if (!name.endsWith('.cmd')) chmodSync(path.join(ctx.outDir, dir, name), 0o755);
    }
    const conf = path.join(ctx.outDir, 'conf');
    mkdirSync(conf);
    writeFileSync(path.join(conf, 'spark-defaults.conf.template'), SPARK_DEFAULTS);
    writeFileSync(path.join(conf, 'spark-env.sh.template'), SPARK_ENV);
    writeFileSync(path.join(conf, 'log4j2.properties.template'), LOG4J2);
    writeFileSync(path.join(ctx.outDir, 'RELEASE'), `Spark ${ctx.version} built for Hadoop ${HADOOP_VERSION} (jars from the pyspark ${ctx.version} distribution on PyPI)\n`);
    mkdirSync(path.join(ctx.outDir, 'logs'));
  },

  async smoke(dir, ctx) {
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'spark-smoke-'));
    const job = path.join(scratch, 'smoke.py');
    writeFileSync(job, SMOKE_JOB);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      SPARK_HOME: dir,
      SPARK_LOCAL_IP: '127.0.0.1',
      SPARK_LOCAL_HOSTNAME: 'localhost',
      PYSPARK_PYTHON: process.env.PYSPARK_PYTHON ?? 'python3',
      SPARK_LOG_DIR: path.join(scratch, 'logs'),
    };
    delete env.PYTHONPATH;
    try {
      ctx.log('spark smoke: spark-submit --master local[2], 4 partitions');
      const out = await runBounded(
        path.join(dir, 'bin', 'spark-submit'),
        [
          '--master', 'local[2]',
          '--driver-memory', '512m',
          '--driver-java-options', '-XX:+UseSerialGC -XX:ActiveProcessorCount=1 -XX:TieredStopAtLevel=1',
          '--conf', 'spark.ui.enabled=false',
          '--conf', 'spark.driver.host=127.0.0.1',
          '--conf', 'spark.driver.bindAddress=127.0.0.1',
          '--conf', `spark.local.dir=${path.join(scratch, 'local')}`,
          '--conf', 'spark.sql.shuffle.partitions=4',
          job,
        ],
        { env, cwd: scratch },
        300_000,
      );
      const line = out.split('\n').find((l) => l.startsWith('SMOKE '));
      const expected = 'SMOKE partitions=4 per_partition=[250, 250, 250, 250] squares=332833500 total=499500';
      if (line === undefined || !line.startsWith(expected)) throw new Error(`spark smoke: expected '${expected} …', got ${line ?? `no SMOKE line:\n${out.slice(-2000)}`}`);
      ctx.log(`spark smoke: ${line}`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};

/** Runs a program to its end within `timeoutMs` (then kills its process group); resolves with its output. */
function runBounded(program: string, args: string[], opts: { env: NodeJS.ProcessEnv; cwd: string }, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { env: opts.env, cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${program}: ${e.message}`));
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(program)} exited with ${code ?? signal}${signal ? ` (killed after ${timeoutMs / 1000} s)` : ''}:\n${out.slice(-3000)}`));
    });
  });
}
