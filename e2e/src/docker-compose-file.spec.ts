// docker/compose.yaml is a contract with the bins it starts: every service's command must parse with that
// bin's own flag parser, exactly as YAML hands it over (a flow sequence splits `--containerizers=mesos,docker`
// at the comma unless quoted: the agents exited 2 until this spec existed). The compose variables take their
// defaults. The roles themselves run in containers in docker-cluster.spec.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFlags as agentFlags } from '@mesos-ts/agent';
import { parseFlags as launcherFlags } from '@mesos-ts/marathon';
import { parseFlags as masterFlags } from '@mesos-ts/master';

const FILE = fileURLToPath(new URL('../../docker/compose.yaml', import.meta.url));
const compose = parse(readFileSync(FILE, 'utf8')) as { services: Record<string, { image: string; command?: string[]; volumes?: string[] }> };
/** `${NAME:-default}` → default, as compose does with NAME unset. */
const defaults = (s: string): string => s.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker/compose.yaml', () => {
  it('has ZooKeeper, three masters with --zk and --quorum=2, two agents with the docker containerizer, the launcher', () => {
    const commands = Object.values(compose.services).map((s) => s.command?.[0] ?? s.image);
    expect(commands.sort()).toEqual(['marathon', 'mesos-agent', 'mesos-agent', 'mesos-master', 'mesos-master', 'mesos-master', 'mesos-ts/zookeeper:dev']);
  });

  it.each(Object.entries(compose.services).filter(([, s]) => s.command !== undefined))('%s: its command parses with its bin', (_name, service) => {
    const [bin, ...args] = service.command!.map(defaults);
    if (bin === 'mesos-master') {
      const parsed = masterFlags(args);
      expect(parsed).toMatchObject({ help: false });
      expect(args).toContain('--quorum=2');
    } else if (bin === 'mesos-agent') {
      const flags = agentFlags(args, {}, () => '');
      expect(flags.containerizers).toEqual(['mesos', 'docker']);
      // dockerd mounts sandboxes by host path: the work_dir is mounted at the same path inside.
      expect(service.volumes!.map(defaults)).toContain(`${flags.work_dir}:${flags.work_dir}`);
    } else {
      expect(bin).toBe('marathon');
      expect(launcherFlags(args, {})).toMatchObject({ help: false, flags: { httpPort: 8080, zk: 'zk://127.0.0.10:2181/marathon' } });
    }
  });
});
