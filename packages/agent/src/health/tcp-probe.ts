// TCP health checks: healthy when a connection to 127.0.0.1:port (::1 for IPv6) is accepted.
import { connect } from 'node:net';
import type { v1 } from '@mesos-ts/proto';
import type { Probe, ProbeResult } from './probe.js';

export function tcpProbe(info: v1.HealthCheck.TCPCheckInfo): Probe {
  const host = info.protocol === 'IPv6' ? '::1' : '127.0.0.1';
  return (signal) =>
    new Promise<ProbeResult>((resolve) => {
      if (signal.aborted) return resolve({ healthy: false, message: 'aborted' });
      const socket = connect({ host, port: info.port });
      const onAbort = () => {
        socket.destroy();
        resolve({ healthy: false, message: 'aborted' });
      };
      signal.addEventListener('abort', onAbort, { once: true });
      socket.once('connect', () => {
        signal.removeEventListener('abort', onAbort);
        socket.destroy();
        resolve({ healthy: true, message: `connected to ${host}:${info.port}` });
      });
      socket.once('error', (err) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ healthy: false, message: `connect to ${host}:${info.port} failed: ${err.message}` });
      });
    });
}
