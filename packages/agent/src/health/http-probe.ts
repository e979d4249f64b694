// HTTP health checks: GET scheme://127.0.0.1:port/path (::1 for IPv6); statuses 200-399 are
// healthy, as upstream's curl-based checker. Certificates are not verified (upstream passes -k).
// HTTPCheckInfo.statuses is not consulted: upstream documents it as unused by its own executors.
import http from 'node:http';
import https from 'node:https';
import type { v1 } from '@mesos-ts/proto';
import type { Probe, ProbeResult } from './probe.js';

export function httpUrl(info: v1.HealthCheck.HTTPCheckInfo): string {
  const scheme = info.scheme ?? 'http';
  const host = info.protocol === 'IPv6' ? '[::1]' : '127.0.0.1';
  const path = info.path ?? '';
  return `${scheme}://${host}:${info.port}${path === '' || path.startsWith('/') ? path : `/${path}`}`;
}

export function httpProbe(info: v1.HealthCheck.HTTPCheckInfo): Probe {
  const url = httpUrl(info);
  const client = url.startsWith('https:') ? https : http;
  return (signal) =>
    new Promise<ProbeResult>((resolve) => {
      if (signal.aborted) return resolve({ healthy: false, message: 'aborted' });
      const req = client.get(url, { signal, rejectUnauthorized: false, agent: false }, (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        const healthy = status >= 200 && status <= 399;
        resolve({ healthy, message: `GET ${url} answered HTTP ${status}` });
      });
      req.on('error', (err) => resolve({ healthy: false, message: `GET ${url} failed: ${err.message}` }));
    });
}
