// The shell commands of an application's three kinds of task, pure. Spark's own Mesos backend needs libmesos, so
// the application runs on Spark's standalone cluster manager inside Mesos tasks: a master, one worker per agent
// (its executor logs under the worker's sandbox), and the driver — `spark-submit --deploy-mode client` against
// that master, in the sandbox where the fetcher put the application's files. The distribution is either fetched
// (spark.executor.uri, extracted into the sandbox) or installed on every agent (spark.mesos.executor.home).
import { shellQuote } from '@mesos-ts/framework-kit';
import type { v1 } from '@mesos-ts/proto';
import type { DriverDescription } from './driver.js';

/** The URIs the distribution needs and the shell expression of SPARK_HOME in the task. */
export function distribution(props: Record<string, string>): { uris: v1.CommandInfo.URI[]; home: string } {
  const uri = props['spark.executor.uri'] ?? '';
  const cache = (props['spark.mesos.fetcherCache.enable'] ?? 'false').toLowerCase() === 'true';
  // The extracted distribution is the sandbox's spark-*/ directory holding bin/spark-submit (Spark's own scratch
  // directories, spark-<uuid>/, are created later and hold no bin/).
  if (uri !== '') return { uris: [{ value: uri, extract: true, cache }], home: '"$(cd "$(dirname "$(ls -d "$MESOS_SANDBOX"/spark-*/bin/spark-submit | head -n 1)")/.." && pwd)"' };
  return { uris: [], home: shellQuote(props['spark.mesos.executor.home'] ?? '') };
}

/** Fetchable by the agent's fetcher into the sandbox (else the driver gets the URI as it is, e.g. hdfs:, local:). */
function fetchable(uri: string): boolean {
  return /^(https?|file):\/\//.test(uri) || uri.startsWith('/');
}

function basename(uri: string): string {
  return uri.replace(/[?#].*$/, '').split('/').filter((s) => s !== '').at(-1) ?? uri;
}

function list(text: string | undefined): string[] {
  return (text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function prelude(home: string, hostname: string, daemonMem?: string): string {
  // Scratch space (block manager, pyspark) in the sandbox, not /tmp: a killed JVM leaves nothing behind outside it.
  const env = [`SPARK_HOME=${home}`, `SPARK_LOCAL_IP=${shellQuote(hostname)}`, `SPARK_LOCAL_HOSTNAME=${shellQuote(hostname)}`, 'SPARK_NO_DAEMONIZE=1', 'SPARK_LOCAL_DIRS="$MESOS_SANDBOX"'];
  if (daemonMem !== undefined) env.push(`SPARK_DAEMON_MEMORY=${daemonMem}`);
  return `export ${env.join(' ')}; `;
}

/** Heap of the standalone master and worker daemons (their task memory holds it). */
export const DAEMON_MEMORY = '256m';

export function masterCommand(props: Record<string, string>, hostname: string, port: number, webuiPort: number): v1.CommandInfo {
  const { uris, home } = distribution(props);
  const value = `${prelude(home, hostname, DAEMON_MEMORY)}exec "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master --host ${shellQuote(hostname)} --port ${port} --webui-port ${webuiPort}`;
  return { shell: true, value, uris };
}

export function workerCommand(props: Record<string, string>, hostname: string, port: number, webuiPort: number, cores: number, memMb: number, masterUrl: string): v1.CommandInfo {
  const { uris, home } = distribution(props);
  const extra = list(props['spark.mesos.uris']).map((value) => ({ value }));
  const value = `${prelude(home, hostname, DAEMON_MEMORY)}exec "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host ${shellQuote(hostname)} --port ${port} --webui-port ${webuiPort} --cores ${cores} --memory ${memMb}M --work-dir "$MESOS_SANDBOX/work" ${masterUrl}`;
  return { shell: true, value, uris: [...uris, ...extra] };
}

/** Properties the driver task sets itself, or that mean something only to the dispatcher. */
const NOT_PASSED = new Set(['spark.master', 'spark.submit.deployMode', 'spark.driver.supervise', 'spark.master.rest.enabled', 'spark.submit.pyFiles', 'spark.app.name', 'spark.driver.host', 'spark.driver.bindAddress', 'spark.driver.port', 'spark.driver.blockManager.port', 'spark.ui.port']);
/** Environment the task sets for itself. */
const ENV_NOT_PASSED = new Set(['SPARK_HOME', 'SPARK_LOCAL_IP', 'SPARK_LOCAL_HOSTNAME', 'SPARK_ENV_LOADED']);

export interface DriverPorts {
  driver: number;
  blockManager: number;
  ui: number;
}

/** Spark's scheduler settings the driver gets unless the submission sets them (see driverCommand). */
export const REGISTRATION_WAIT: Readonly<Record<string, string>> = {
  'spark.scheduler.minRegisteredResourcesRatio': '1.0',
  'spark.scheduler.maxRegisteredResourcesWaitingTime': '120s',
};

/** Seconds the driver waits for its master to listen before submitting anyway. */
export const MASTER_WAIT_SECONDS = 600;

/**
 * The driver waits until its master listens: Spark's client gives up after 3 registration attempts 20 s apart,
 * and a master still fetching its distribution (or a slow JVM start on a busy machine) can take longer. Spark's
 * scripts need bash anyway, so bash's /dev/tcp does the probing.
 */
function waitForMaster(host: string, port: number): string {
  return `for i in $(seq 1 ${MASTER_WAIT_SECONDS}); do (exec 3<>/dev/tcp/${host}/${port}) 2>/dev/null && break; sleep 1; done; `;
}

export function driverCommand(desc: DriverDescription, hostname: string, ports: DriverPorts, master: { host: string; port: number }): v1.CommandInfo {
  const masterUrl = `spark://${master.host}:${master.port}`;
  const props = desc.sparkProperties;
  const { uris, home } = distribution(props);
  const fetched: v1.CommandInfo.URI[] = [];
  const local = (uri: string): string => {
    if (!fetchable(uri)) return shellQuote(uri);
    fetched.push({ value: uri, extract: false });
    return `"$MESOS_SANDBOX"/${shellQuote(basename(uri))}`;
  };
  const resource = local(desc.appResource);
  const pyFiles = list(props['spark.submit.pyFiles']).map(local);
  const extra = list(props['spark.mesos.uris']).map((value) => ({ value }));
  const env = Object.entries(desc.environmentVariables).filter(([k]) => !ENV_NOT_PASSED.has(k) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k));
  const args = ['--master', masterUrl, '--deploy-mode', 'client', '--name', shellQuote(desc.name)];
  if (desc.mainClass !== '') args.push('--class', shellQuote(desc.mainClass));
  if (pyFiles.length > 0) args.push('--py-files', pyFiles.join(','));
  for (const [k, v] of Object.entries(props).sort(([a], [b]) => a.localeCompare(b))) if (!NOT_PASSED.has(k)) args.push('--conf', shellQuote(`${k}=${v}`));
  // The workers launched for this application start with it: the driver schedules work once they have all
  // registered (or after the wait), else a short job runs on whichever worker came up first and the others idle.
  for (const [k, v] of Object.entries(REGISTRATION_WAIT)) if (props[k] === undefined) args.push('--conf', `${k}=${v}`);
  const host = shellQuote(hostname);
  args.push('--conf', `spark.driver.host=${host}`, '--conf', `spark.driver.bindAddress=${host}`, '--conf', `spark.driver.port=${ports.driver}`, '--conf', `spark.driver.blockManager.port=${ports.blockManager}`, '--conf', `spark.ui.port=${ports.ui}`);
  const exports = env.length === 0 ? '' : `export ${env.map(([k, v]) => `${k}=${shellQuote(v)}`).join(' ')}; `;
  const script = `${exports}${prelude(home, hostname)}${waitForMaster(master.host, master.port)}cd "$MESOS_SANDBOX" && exec "$SPARK_HOME/bin/spark-submit" ${args.join(' ')} ${resource}${desc.appArgs.map((a) => ` ${shellQuote(a)}`).join('')}`;
  return { shell: true, value: `exec bash -c ${shellQuote(script)}`, uris: [...uris, ...fetched, ...extra] };
}
