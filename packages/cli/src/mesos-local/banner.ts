// What mesos-local prints once the cluster is ready: where things are, and what to try next.
import type { LocalCluster } from './cluster.js';

export function banner(cluster: Pick<LocalCluster, 'master' | 'agents' | 'logDir'>, workDir: string, readyMs: number): string {
  const m = cluster.master;
  const width = Math.max(0, ...cluster.agents.map((a) => a.name.length));
  const agents = cluster.agents.map((a) => `  ${a.name.padEnd(width)}  http://${a.address}  ${a.resources}`).join('\n');
  return (
    `mesos-local is ready in ${readyMs} ms\n` +
    `  master  http://${m}  (state in ${workDir}, logs in ${cluster.logDir})\n` +
    `${agents}${agents ? '\n' : ''}` +
    '\nTry:\n' +
    `  npx mesos-execute --master=${m} --name=echo-test --command='echo Hello, World'\n` +
    `  npx mesos ps --all --master=${m}\n` +
    `  npx mesos cat echo-test stdout --master=${m}\n` +
    '\nCtrl-C stops the cluster (running tasks are killed).\n'
  );
}
