// A task's health checker (TaskInfo.health_check): picks the probe for the check's type and runs it
// on upstream's schedule. The agent turns onStatus into TaskStatus.healthy updates
// (REASON_TASK_HEALTH_CHECK_STATUS_UPDATED) and onKill into killing the task.
import type { v1 } from '@mesos-ts/proto';
import { daemonClock as systemClock, type Clock } from '@mesos-ts/common';
import { CheckLoop } from './check-loop.js';
import { commandProbe } from './command-probe.js';
import { HealthCheckError } from './health-error.js';
import { resolveTimings } from './health-state.js';
import { httpProbe } from './http-probe.js';
import type { Probe } from './probe.js';
import { tcpProbe } from './tcp-probe.js';

export interface HealthCheckerOptions {
  /** The task's sandbox: where COMMAND checks run. */
  sandbox: string;
  /** The task's environment, for COMMAND checks. */
  env: Record<string, string>;
  /** healthy=true on the first success and on recovery; healthy=false with the count on each counted failure. */
  onStatus: (healthy: boolean, consecutiveFailures: number) => void;
  /** `consecutive_failures` failures in a row: kill the task. The checker has stopped by then. */
  onKill: () => void;
  clock?: Clock;
}

export class HealthChecker {
  private readonly loop: CheckLoop;

  /** Throws HealthCheckError (code INVALID_HEALTH_CHECK) when the check cannot be run as given. */
  constructor(check: v1.HealthCheck, opts: HealthCheckerOptions) {
    this.loop = new CheckLoop(probeFor(check, opts), resolveTimings(check), {
      onStatus: opts.onStatus,
      onKill: opts.onKill,
      clock: opts.clock ?? systemClock,
    });
  }

  start(): void {
    this.loop.start();
  }

  stop(): void {
    this.loop.stop();
  }
}

/** The probe for the check's type; checks without a type (pre-1.2 frameworks) are typed by which field is set. */
export function probeFor(check: v1.HealthCheck, opts: { sandbox: string; env: Record<string, string> }): Probe {
  const type =
    check.type !== undefined && check.type !== 'UNKNOWN'
      ? check.type
      : check.command !== undefined
        ? 'COMMAND'
        : check.http !== undefined
          ? 'HTTP'
          : check.tcp !== undefined
            ? 'TCP'
            : undefined;
  switch (type) {
    case 'COMMAND':
      if (check.command?.value === undefined || check.command.value === '') {
        throw new HealthCheckError('COMMAND health check needs command.value');
      }
      return commandProbe(check.command, opts);
    case 'HTTP':
      if (check.http === undefined) throw new HealthCheckError('HTTP health check needs http.port');
      validPort(check.http.port, 'http.port');
      return httpProbe(check.http);
    case 'TCP':
      if (check.tcp === undefined) throw new HealthCheckError('TCP health check needs tcp.port');
      validPort(check.tcp.port, 'tcp.port');
      return tcpProbe(check.tcp);
    case undefined:
      throw new HealthCheckError('health check needs a type (COMMAND, HTTP or TCP) and its command, http or tcp field');
  }
}

function validPort(port: number, field: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new HealthCheckError(`health check ${field} must be a port number 1-65535 (got ${port})`);
  }
}
