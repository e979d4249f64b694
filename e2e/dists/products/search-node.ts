// What the OpenSearch and Elasticsearch recipes share: small-machine JVM options and console logging, the
// unprivileged user both need (neither runs as root), and the smoke start: one single-node cluster on
// 127.0.0.1 whose health must turn green through the product's own client.
import { spawn } from 'node:child_process';
import { chmodSync, chownSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/harness/ports.js';
import type { SmokeContext } from '../recipe.js';

export const NODE_UID = 65534;

/** The command prefix that drops root for a node (empty when not root). */
export function runAsArgs(): string[] {
  return process.getuid?.() === 0 ? ['setpriv', `--reuid=${NODE_UID}`, `--regid=${NODE_UID}`, '--clear-groups'] : [];
}

export const JVM_OPTIONS = `# Small-machine defaults; the launcher's *_JAVA_OPTS add to (and, later on the line, override) them.
-Xms256m
-Xmx256m
-XX:+UseSerialGC
-XX:ActiveProcessorCount=1
-XX:TieredStopAtLevel=1
`;

export const LOG4J2 = `status = error
appender.console.type = Console
appender.console.name = console
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}] [%node_name]%marker %m%n
rootLogger.level = info
rootLogger.appenderRef.console.ref = console
`;

export interface SearchSmoke {
  product: string;
  /** The launcher under bin/. */
  launcher: string;
  /** Environment naming the node's own config directory (it writes its keystore there) and its temp directory. */
  env(conf: string, tmp: string): Record<string, string>;
  /** The cluster's health status through the product's client at `url`. */
  health(url: string): Promise<string>;
}

/** Starts one node of the distribution in `dir` and waits (at most 120 s) for green health; kills it after. */
export async function smokeSearchNode(dir: string, ctx: SmokeContext, s: SearchSmoke): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), `${s.product}-smoke-`));
  chmodSync(scratch, 0o755);
  const [http, transport] = [await freePort(), await freePort()];
  const [data, logs, tmp, conf] = ['data', 'logs', 'tmp', 'config'].map((d) => path.join(scratch, d)) as [string, string, string, string];
  cpSync(path.join(dir, 'config'), conf, { recursive: true });
  for (const d of [data, logs, tmp, conf]) {
    mkdirSync(d, { recursive: true });
    if (process.getuid?.() === 0) chownSync(d, NODE_UID, NODE_UID);
  }
  // The unprivileged user cannot read a cache under /root: it runs a world-readable copy.
  const home = process.getuid?.() === 0 ? path.join(scratch, 'dist') : dir;
  if (home !== dir) cpSync(dir, home, { recursive: true });
  const [prog, ...pre] = [...runAsArgs(), path.join(home, 'bin', s.launcher)];
  const args = [...pre, '-Ecluster.name=smoke', '-Enode.name=smoke', '-Enetwork.host=127.0.0.1', `-Ehttp.port=${http}`, `-Etransport.port=${transport}`, `-Epath.data=${data}`, `-Epath.logs=${logs}`, '-Ediscovery.type=single-node'];
  const node = spawn(prog!, args, { stdio: 'ignore', detached: true, env: { ...process.env, ...s.env(conf, tmp) } });
  try {
    ctx.log(`${s.product} smoke: node starting on 127.0.0.1:${http}`);
    const deadline = Date.now() + 120_000;
    for (;;) {
      try {
        if ((await s.health(`http://127.0.0.1:${http}`)) === 'green') break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`${s.product} smoke: no green cluster health within 120 s: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
    ctx.log(`${s.product} smoke: cluster health green through its client`);
  } finally {
    if (node.pid !== undefined) {
      try {
        process.kill(-node.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}
