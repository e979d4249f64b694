// The whole checker with the real clock, real sockets and real processes, on a sub-second schedule.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { v1 } from '@mesos-ts/proto';
import { HealthChecker } from './index.js';

const fast = { delay_seconds: 0, interval_seconds: 0.05, timeout_seconds: 1, grace_period_seconds: 0, consecutive_failures: 3 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function track(check: v1.HealthCheck, sandbox = tmpdir()) {
  const events: string[] = [];
  const checker = new HealthChecker(check, {
    sandbox,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    onStatus: (healthy, n) => events.push(healthy ? 'healthy' : `unhealthy ${n}`),
    onKill: () => events.push('kill'),
  });
  cleanups.push(() => checker.stop());
  return { checker, events };
}

describe('HealthChecker', () => {
  it('TCP: healthy while the port accepts, killed after the server goes away', async () => {
    const server: Server = createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())));
    const { port } = server.address() as AddressInfo;
    const { checker, events } = track({ ...fast, type: 'TCP', tcp: { port } });
    checker.start();
    await expect.poll(() => events, { timeout: 5000 }).toEqual(['healthy']);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await expect.poll(() => events, { timeout: 5000 }).toEqual(['healthy', 'unhealthy 1', 'unhealthy 2', 'unhealthy 3', 'kill']);
  });

  it('COMMAND: a check that hangs past timeout_seconds counts as a failure', async () => {
    const sandbox = await mkdtemp(join(tmpdir(), 'health-checker-'));
    cleanups.push(() => rm(sandbox, { recursive: true, force: true }));
    const { checker, events } = track(
      { ...fast, timeout_seconds: 0.1, consecutive_failures: 1, command: { value: 'sleep 30' } },
      sandbox,
    );
    const started = Date.now();
    checker.start();
    await expect.poll(() => events, { timeout: 5000 }).toEqual(['unhealthy 1', 'kill']);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('HTTP typed by its field (no type set), failing without a server', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const { checker, events } = track({ ...fast, consecutive_failures: 2, http: { port, path: '/health' } });
    checker.start();
    await expect.poll(() => events, { timeout: 5000 }).toEqual(['unhealthy 1', 'unhealthy 2', 'kill']);
  });

  it.each<[string, v1.HealthCheck, RegExp]>([
    ['no type and no field', {}, /needs a type \(COMMAND, HTTP or TCP\)/],
    ['COMMAND without a command', { type: 'COMMAND' }, /COMMAND health check needs command.value/],
    ['HTTP without http', { type: 'HTTP' }, /HTTP health check needs http.port/],
    ['TCP with port 0', { type: 'TCP', tcp: { port: 0 } }, /tcp.port must be a port number 1-65535 \(got 0\)/],
    ['a negative delay', { type: 'TCP', tcp: { port: 1 }, delay_seconds: -1 }, /delay_seconds must be a non-negative/],
  ])('refuses %s', (_name, check, message) => {
    const err = (() => {
      try {
        track(check);
      } catch (e) {
        return e as Error & { code?: string };
      }
      return undefined;
    })();
    expect(err?.message).toMatch(message);
    expect(err?.code).toBe('INVALID_HEALTH_CHECK');
  });
});
