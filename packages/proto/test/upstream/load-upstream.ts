// Loads mesos-go's copy of the Apache Mesos v1 protos (Debian: golang-github-mesos-mesos-go-dev),
// our independent reference for wire compatibility. Their packages are `mesos`, `mesos.scheduler`,
// … where ours are `mesos.v1`, `mesos.v1.scheduler`, …
import protobuf from 'protobufjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const GOPATH_SRC = '/usr/share/gocode/src';
const LIB = 'github.com/mesos/mesos-go/api/v1/lib';
const FILES = ['mesos.proto', 'scheduler/scheduler.proto', 'executor/executor.proto', 'master/master.proto', 'agent/agent.proto', 'quota/quota.proto', 'maintenance/maintenance.proto', 'allocator/allocator.proto'];

export const UPSTREAM_MESOS_PROTO = join(GOPATH_SRC, LIB, 'mesos.proto');
export const MISSING_MESSAGE = 'upstream protos missing: apt-get install golang-github-mesos-mesos-go-dev';

// gogo.proto imports google/protobuf/descriptor.proto, which protobufjs ships.
const protobufjsDir = dirname(createRequire(import.meta.url).resolve('protobufjs/package.json'));

let cached: protobuf.Root | undefined;

/** The upstream schema; throws MISSING_MESSAGE when the Debian package is not installed. */
export function upstreamRoot(): protobuf.Root {
  if (cached) return cached;
  if (!existsSync(UPSTREAM_MESOS_PROTO)) throw new Error(MISSING_MESSAGE);
  const root = new protobuf.Root();
  root.resolvePath = (_origin, target) => {
    if (target.startsWith('/')) return target;
    if (target.startsWith('google/protobuf/')) return join(protobufjsDir, target);
    return join(GOPATH_SRC, target);
  };
  root.loadSync(FILES.map((f) => join(LIB, f)), { keepCase: true });
  root.resolveAll();
  cached = root;
  return root;
}

/** Our fully qualified name (`mesos.v1.scheduler.Call`) as upstream spells it (`mesos.scheduler.Call`). */
export function upstreamName(ours: string): string {
  if (!ours.startsWith('mesos.v1.')) throw new Error(`not a mesos.v1 name: ${ours}`);
  return `mesos.${ours.slice('mesos.v1.'.length)}`;
}

/** The upstream counterpart of one of our reflection objects, if upstream defines it. */
export function counterpart<T extends protobuf.ReflectionObject>(upstream: protobuf.Root, ours: T): T | undefined {
  const name = `.${upstreamName(ours.fullName.slice(1))}`;
  // protobufjs' lookup also searches nested namespaces; only an exact full name is a counterpart.
  const found = upstream.lookup(name);
  return found && found.fullName === name && found.constructor === ours.constructor ? (found as T) : undefined;
}
