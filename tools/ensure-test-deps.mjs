#!/usr/bin/env node
// Makes sure the system packages the test suite uses are installed (Debian), installing them when we are
// root with apt-get, otherwise failing with the exact command to run. Called by `npm test` before the suite.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

/** Debian package -> a file it installs, and why the suite needs it. */
const SYSTEM_DEPS = [
  {
    pkg: 'golang-github-mesos-mesos-go-dev',
    probe: '/usr/share/gocode/src/github.com/mesos/mesos-go/api/v1/lib/scheduler/scheduler.proto',
    why: "upstream Mesos v1 .proto files: the independent reference for packages/proto's wire-compatibility test",
  },
  {
    pkg: 'zookeeper',
    probe: '/usr/share/java/zookeeper.jar',
    why: 'a real ZooKeeper 3.8 server for the state-store, leader-election and registry tests (started on 127.0.0.1 per test file)',
  },
  {
    pkg: 'maven',
    probe: '/usr/bin/mvn',
    why: 'the dists tool (e2e/dists) resolves real Kafka and its dependencies from Maven Central with it (Java comes with it)',
  },
  {
    pkg: 'docker.io',
    probe: '/usr/sbin/dockerd',
    why: "the agent's docker containerizer tests and the testcontainers scenarios (e2e/src/docker-*.spec.ts) start dockerd when none runs",
  },
  {
    pkg: 'debootstrap',
    probe: '/usr/sbin/debootstrap',
    why: 'the docker e2e harness builds its base image mesos-ts/base:bookworm from Debian packages (no image registry is reachable)',
  },
  {
    pkg: 'chromium',
    probe: '/usr/bin/chromium',
    why: 'the web UI tests drive a real headless browser through playwright-core',
  },
  {
    pkg: 'python3-marathon',
    probe: '/usr/lib/python3/dist-packages/marathon/__init__.py',
    why: "a real Marathon client (Debian's python3-marathon) talks to the launcher in marathon-client.spec.ts",
  },
  {
    pkg: 'unzip',
    probe: '/usr/bin/unzip',
    why: "the agent's fetcher extracts .zip archives with it, as upstream's fetcher does",
  },
];

const missing = SYSTEM_DEPS.filter((d) => !existsSync(d.probe));
if (missing.length === 0) process.exit(0);

const names = missing.map((d) => d.pkg);
for (const d of missing) console.log(`test setup: ${d.pkg} is missing (${d.why})`);
const canInstall = process.getuid?.() === 0 && spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!canInstall) {
  console.error(`test setup: install them first:\n  sudo apt-get update && sudo apt-get install -y ${names.join(' ')}`);
  process.exit(1);
}

const run = (args) => {
  console.log(`test setup: ${args.join(' ')}`);
  const result = spawnSync(args[0], args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return result.status === 0;
};
if (!run(['apt-get', 'update', '-qq']) || !run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...names])) {
  console.error(`test setup: apt-get failed; install by hand: apt-get update && apt-get install -y ${names.join(' ')}`);
  process.exit(1);
}
const still = missing.filter((d) => !existsSync(d.probe));
if (still.length > 0) {
  console.error(`test setup: installed, but ${still.map((d) => d.probe).join(', ')} is still missing`);
  process.exit(1);
}
