// Small PySpark applications the Spark dispatcher specs and bench submit (written into the test's temp dir and
// handed to spark-submit as file:// URIs the agents' fetcher copies into the driver's sandbox).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

/** Spark's examples/src/main/python/pi.py, shortened: partitions from argv[1], prints "Pi is roughly …". */
export const PI_PY = `import sys
from random import random
from operator import add
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("PythonPi").getOrCreate()
partitions = int(sys.argv[1]) if len(sys.argv) > 1 else 2
n = 100000 * partitions
def f(_):
    x = random() * 2 - 1
    y = random() * 2 - 1
    return 1 if x ** 2 + y ** 2 <= 1 else 0
count = spark.sparkContext.parallelize(range(1, n + 1), partitions).map(f).reduce(add)
print("Pi is roughly %f" % (4.0 * count / n))
spark.stop()
`;

/** Word count over a file fetched into the driver's sandbox (spark.mesos.uris); executors do the counting. */
export const WORDCOUNT_PY = `import sys
from operator import add
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("PythonWordCount").getOrCreate()
with open(sys.argv[1]) as f:
    lines = f.read().splitlines()
counts = spark.sparkContext.parallelize(lines, 4).flatMap(lambda l: l.split()).map(lambda w: (w, 1)).reduceByKey(add).collect()
for word, n in sorted(counts):
    print("%s: %i" % (word, n))
spark.stop()
`;

/** A driver that starts its SparkContext, says so, and waits argv[1] seconds (for supervise and kill tests); it
 * ends when its JVM is killed. */
export const SLEEPER_PY = `import os, sys, time
from pyspark.sql import SparkSession
spark = SparkSession.builder.appName("Sleeper").getOrCreate()
print("sleeper up", flush=True)
parent = os.getppid()
for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 600):
    time.sleep(1)
    # The driver JVM (our parent) was killed: end too instead of lingering.
    if os.getppid() != parent:
        sys.exit(1)
spark.stop()
`;

export const WORDS = 'the quick brown fox\njumps over the lazy dog\nthe end\n';

export function writeJobs(dir: string): { pi: string; wordcount: string; sleeper: string; words: string } {
  const out = { pi: path.join(dir, 'pi.py'), wordcount: path.join(dir, 'wordcount.py'), sleeper: path.join(dir, 'sleeper.py'), words: path.join(dir, 'words.txt') };
  writeFileSync(out.pi, PI_PY);
  writeFileSync(out.wordcount, WORDCOUNT_PY);
  writeFileSync(out.sleeper, SLEEPER_PY);
  writeFileSync(out.words, WORDS);
  return out;
}
