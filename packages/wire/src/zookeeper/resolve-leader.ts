// What `mesos resolve <master>` prints: the leading master as `host:port`, for either form of `--master`:
//  - `zk://…/mesos`: read the election from ZooKeeper (lowest json.info_ member's MasterInfo);
//  - `h1:5050,h2:5050`: ask each master's `/master/redirect` (a 307 to `//leader:port`), in order, and take
//    the first answer; a master that is up but knows no leader yet (503) is skipped.
import http from 'node:http';
import type { LeaderAddress } from './master-info.js';
import { ZooKeeperMasterDetector } from './master-detector.js';
import { ZooKeeperError } from './zk-error.js';

export interface ResolveLeaderOptions {
  /** Overall time budget, ms. Default 10000. */
  timeoutMs?: number;
  /** For zk:// masters. Default 10000. */
  sessionTimeoutMs?: number;
}

export async function resolveLeader(masterSpec: string, options: ResolveLeaderOptions = {}): Promise<LeaderAddress> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const spec = masterSpec.trim();
  if (spec.startsWith('zk://')) return resolveFromZooKeeper(spec, timeoutMs, options.sessionTimeoutMs);
  const masters = parseMasters(spec);
  const deadline = Date.now() + timeoutMs;
  const failures: string[] = [];
  for (const master of masters) {
    const left = deadline - Date.now();
    if (left <= 0) break;
    try {
      return await askRedirect(master, Math.min(left, 5_000));
    } catch (e) {
      failures.push(`${master}: ${(e as Error).message}`);
    }
  }
  throw new ZooKeeperError('NO_LEADER', `no leading master found via ${spec} within ${timeoutMs} ms (${failures.join('; ') || 'no time left'}); check --master and that a master is running`);
}

async function resolveFromZooKeeper(spec: string, timeoutMs: number, sessionTimeoutMs: number | undefined): Promise<LeaderAddress> {
  const errors: unknown[] = [];
  const detector = new ZooKeeperMasterDetector({ url: spec, sessionTimeoutMs, onError: (e) => errors.push(e) });
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    await detector.next(signal);
    return detector.current()!;
  } catch (e) {
    const last = errors.at(-1);
    throw new ZooKeeperError(
      'NO_LEADER',
      `no leading master in ${spec} within ${timeoutMs} ms${last === undefined ? ' (no master is contending there)' : ` (${(last as Error).message})`}; check the zk:// URL and that the masters run with the same --zk`,
      { cause: last ?? e },
    );
  } finally {
    detector.close();
  }
}

/** `h1:5050,h2` → [`h1:5050`, `h2:5050`] (an `http://` prefix is accepted). */
export function parseMasters(spec: string): string[] {
  return spec.split(',').map((raw) => {
    const item = raw.trim().replace(/^https?:\/\//, '').replace(/\/+$/, '');
    const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::(\d{1,5}))?$/.exec(item);
    const port = m?.[2] === undefined ? 5050 : Number(m[2]);
    if (!m || port < 1 || port > 65535) {
      throw new ZooKeeperError('INVALID_ZK_URL', `invalid master '${raw.trim()}' in '${spec}': expected host:port[,host:port] or zk://host:2181/mesos`);
    }
    return `${m[1]}:${port}`;
  });
}

function askRedirect(master: string, timeoutMs: number): Promise<LeaderAddress> {
  return new Promise((resolve, reject) => {
    const req = http.get(`http://${master}/master/redirect`, { timeout: timeoutMs }, (res) => {
      res.resume();
      const location = res.headers.location;
      if (res.statusCode === 307 && location !== undefined) {
        try {
          const url = new URL(location, `http://${master}`);
          const port = url.port === '' ? 5050 : Number(url.port);
          resolve({ hostname: url.hostname.replace(/^\[|\]$/g, ''), port });
        } catch {
          reject(new Error(`answered an unusable Location '${location}'`));
        }
      } else {
        reject(new Error(`answered ${res.statusCode} instead of a 307 redirect to the leader`));
      }
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => reject(e));
  });
}
