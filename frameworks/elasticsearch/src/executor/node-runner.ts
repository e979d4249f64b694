// Starts one search node from an unpacked distribution and watches it: a per-node config directory (the node
// writes its keystore there), data, log and temp directories, `bin/elasticsearch -E...` (or bin/opensearch,
// whichever the distribution has) with the node's settings. Both refuse to run as root, and agents run tasks
// as root here, so a root executor drops to an unprivileged uid through setpriv, hands it the directories, and
// asks the kernel to SIGKILL the node when the executor dies (--pdeathsig), so a node never outlives it.
// Health comes from the client library (opensearch-js speaks the cluster health API of both products).
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@opensearch-project/opensearch';
import { hasJoined, parseHealthColour, type HealthColour } from '../domain/health.js';
import { settingsArgs, type Flavour } from '../domain/node-settings.js';

/** The product of an unpacked distribution, by its launcher; undefined when it has neither. */
export function distributionFlavour(home: string): Flavour | undefined {
  if (existsSync(path.join(home, 'bin', 'elasticsearch'))) return 'elasticsearch';
  if (existsSync(path.join(home, 'bin', 'opensearch'))) return 'opensearch';
  return undefined;
}

export const NODE_UID = 65534;

export interface NodeRunOptions {
  /** The unpacked distribution (bin/elasticsearch or bin/opensearch, config/, lib/, modules/). */
  home: string;
  /** Directory for this node's config copy (a sandbox path). */
  confDir: string;
  settings: Record<string, string>;
  /** -Xms/-Xmx etc., appended after jvm.options. */
  javaOpts?: string;
  /** Where the node's stdout/stderr go (a file descriptor or 'ignore'). */
  stdio?: 'ignore' | number;
  /** Lines appended to the copied elasticsearch.yml (--elasticsearchSettingsLocation). */
  yml?: string;
  /** Temp directory (default: <confDir>/../tmp). */
  tmpDir?: string;
}

export class SearchNode {
  readonly client: Client;
  private constructor(
    readonly process: ChildProcess,
    readonly httpUrl: string,
  ) {
    this.client = new Client({ node: httpUrl, requestTimeout: 10_000 });
  }

  static start(o: NodeRunOptions): SearchNode {
    const root = process.getuid?.() === 0;
    const flavour = distributionFlavour(o.home);
    if (flavour === undefined) throw new Error(`${o.home} has neither bin/elasticsearch nor bin/opensearch; is it an unpacked Elasticsearch or OpenSearch distribution?`);
    const tmp = o.tmpDir ?? path.join(path.dirname(o.confDir), 'tmp');
    cpSync(path.join(o.home, 'config'), o.confDir, { recursive: true });
    if (o.yml !== undefined) appendFileSync(path.join(o.confDir, `${flavour}.yml`), `\n${o.yml}\n`);
    for (const dir of [o.confDir, tmp, o.settings['path.data'], o.settings['path.logs']]) {
      if (dir === undefined) continue;
      mkdirSync(dir, { recursive: true });
      if (root) chownSync(dir, NODE_UID, NODE_UID);
    }
    const bin = path.join(o.home, 'bin', flavour);
    const [prog, ...args] = root ? ['setpriv', `--reuid=${NODE_UID}`, `--regid=${NODE_UID}`, '--clear-groups', '--pdeathsig=SIGKILL', bin] : [bin];
    const out = o.stdio ?? 'ignore';
    const env = flavour === 'elasticsearch' ? { ES_PATH_CONF: o.confDir, ES_JAVA_OPTS: o.javaOpts ?? '', ES_TMPDIR: tmp } : { OPENSEARCH_PATH_CONF: o.confDir, OPENSEARCH_JAVA_OPTS: o.javaOpts ?? '', OPENSEARCH_TMPDIR: tmp };
    const child = spawn(prog!, [...args, ...settingsArgs(o.settings)], { stdio: ['ignore', out, out], detached: true, env: { ...process.env, ...env } });
    return new SearchNode(child, `http://${o.settings['network.host']}:${o.settings['http.port']}`);
  }

  /** Cluster health colour as this node sees it ('unknown' when it does not answer). */
  async health(): Promise<{ colour: HealthColour; nodes: number }> {
    try {
      const { body } = await this.client.cluster.health({ timeout: '5s' });
      return { colour: parseHealthColour(body.status), nodes: body.number_of_nodes ?? 0 };
    } catch {
      return { colour: 'unknown', nodes: 0 };
    }
  }

  /** Resolves true once the node answers and the cluster counts `expected` nodes; false at the deadline or exit. */
  async waitJoined(expected: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && this.process.exitCode === null && this.process.signalCode === null) {
      try {
        const { body } = await this.client.cluster.health({ timeout: '2s' });
        if (hasJoined(body, expected)) return true;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 1_000));
    }
    return false;
  }

  /** Kills the node's whole process group (the launcher and the JVM). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.process.pid === undefined) return;
    try {
      process.kill(-this.process.pid, signal);
    } catch {
      // already gone
    }
  }
}
