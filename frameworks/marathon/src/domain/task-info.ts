// The Mesos TaskInfo for one instance of an app: command or args, environment (Marathon's $PORT0…, $PORTS,
// $HOST, MARATHON_APP_*), fetch URIs, the first health check as a Mesos health check (run by the agent, so
// it survives a launcher restart), the kill grace period, and the container. Pure.
import type { v1 } from '@mesos-ts/proto';
import type { AppDefinition, HealthCheckDef } from './app.js';

export function taskEnv(app: AppDefinition, host: string, ports: readonly number[], taskId: string): Record<string, string> {
  const env: Record<string, string> = {
    HOST: host,
    MARATHON_APP_ID: app.id,
    MARATHON_APP_VERSION: app.version,
    MESOS_TASK_ID: taskId,
    PORTS: ports.join(','),
  };
  ports.forEach((p, i) => {
    env[`PORT${i}`] = String(p);
    const def = app.portDefinitions[i];
    if (def?.port !== undefined && def.port !== 0) env[`PORT_${def.port}`] = String(p);
    if (def?.name !== undefined) env[`PORT_${def.name.toUpperCase()}`] = String(p);
  });
  if (ports.length > 0) env.PORT = String(ports[0]);
  for (const [k, v] of Object.entries(app.labels)) if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) env[`MARATHON_APP_LABEL_${k.toUpperCase()}`] = v;
  return { ...env, ...app.env };
}

export function healthCheck(h: HealthCheckDef, ports: readonly number[]): v1.HealthCheck {
  const port = h.port ?? ports[h.portIndex ?? 0] ?? 0;
  const timing = {
    delay_seconds: 0,
    interval_seconds: h.intervalSeconds,
    timeout_seconds: h.timeoutSeconds,
    consecutive_failures: h.maxConsecutiveFailures,
    grace_period_seconds: h.gracePeriodSeconds,
  };
  if (h.protocol === 'COMMAND') return { ...timing, type: 'COMMAND', command: { shell: true, value: h.command?.value ?? 'true' } };
  if (h.protocol === 'TCP' || h.protocol === 'MESOS_TCP') return { ...timing, type: 'TCP', tcp: { port } };
  const scheme = h.protocol.endsWith('HTTPS') ? 'https' : 'http';
  return { ...timing, type: 'HTTP', http: { port, path: h.path ?? '/', scheme } };
}

export function taskInfo(app: AppDefinition, taskId: string, agentId: string, host: string, resources: v1.Resource[], ports: readonly number[]): v1.TaskInfo {
  const env = taskEnv(app, host, ports, taskId);
  const command: v1.CommandInfo = {
    environment: { variables: Object.entries(env).map(([name, value]) => ({ name, value })) },
    uris: app.fetch.map((f) => ({ value: f.uri, extract: f.extract, executable: f.executable, cache: f.cache })),
    ...(app.user === undefined ? {} : { user: app.user }),
    ...(app.cmd !== undefined ? { shell: true, value: app.cmd } : { shell: false, value: app.args?.[0] ?? '', arguments: app.args ?? [] }),
  };
  const task: v1.TaskInfo = {
    name: app.id.slice(1).replaceAll('/', '.'),
    task_id: { value: taskId },
    agent_id: { value: agentId },
    resources,
    command,
    labels: { labels: Object.entries(app.labels).map(([key, value]) => ({ key, value })) },
    discovery: { visibility: 'FRAMEWORK', name: app.id.slice(1).replaceAll('/', '.'), ports: { ports: ports.map((p, i) => ({ number: p, protocol: app.portDefinitions[i]?.protocol ?? 'tcp' })) } },
  };
  if (app.healthChecks[0] !== undefined) task.health_check = healthCheck(app.healthChecks[0], ports);
  if (app.taskKillGracePeriodSeconds !== undefined) task.kill_policy = { grace_period: { nanoseconds: BigInt(Math.round(app.taskKillGracePeriodSeconds * 1e9)) } };
  if (app.container?.type === 'DOCKER') {
    const d = app.container.docker ?? {};
    task.container = {
      type: 'DOCKER',
      docker: {
        image: String(d.image),
        network: (d.network as v1.ContainerInfo.DockerInfo.Network | undefined) ?? 'HOST',
        force_pull_image: d.forcePullImage === true,
        privileged: d.privileged === true,
      },
    };
  }
  return task;
}
