// What mesos-local prints once the cluster is ready: where things are, and what to try next.
import type { LocalCluster } from './cluster.js';

export function banner(cluster: Pick<LocalCluster, 'master' | 'agents' | 'logDir'> & { launcher?: LocalCluster['launcher'] }, workDir: string, readyMs: number): string {
  const m = cluster.master;
  const width = Math.max(0, ...cluster.agents.map((a) => a.name.length));
  const agents = cluster.agents.map((a) => `  ${a.name.padEnd(width)}  http://${a.address}  ${a.resources}`).join('\n');
  return (
    `mesos-local is ready in ${readyMs} ms\n` +
    `  master  http://${m}  (state in ${workDir}, logs in ${cluster.logDir})\n` +
    `${agents}${agents ? '\n' : ''}` +
    (cluster.launcher === undefined ? '' : `  launcher  ${cluster.launcher.url}  (Marathon API: POST app JSON to /v2/apps)\n`) +
    '\nTry:\n' +
    `  npx mesos-execute --master=${m} --name=echo-test --command='echo Hello, World'\n` +
    `  npx mesos ps --all --master=${m}\n` +
    `  npx mesos cat echo-test stdout --master=${m}\n` +
    (cluster.launcher === undefined ? '' : `  curl -X POST -H 'Content-Type: application/json' -d '{"id":"/hello","cmd":"sleep 1000","cpus":0.1,"mem":32}' ${cluster.launcher.url}/v2/apps\n`) +
    '\nCtrl-C stops the cluster (running tasks are killed).\n'
  );
}
