// One health check attempt. A probe never rejects: every problem is an unhealthy result whose
// message says why. It must stop (and clean up processes and sockets) when `signal` aborts.

export interface ProbeResult {
  readonly healthy: boolean;
  /** Why the check failed (or what it saw), for logs and TaskStatus messages. */
  readonly message: string;
}

export type Probe = (signal: AbortSignal) => Promise<ProbeResult>;
