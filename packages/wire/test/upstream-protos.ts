// The upstream .proto files (Debian's golang-github-mesos-mesos-go-dev, package `mesos` instead of `mesos.v1`),
// loaded with protobufjs as an independent reference for byte compatibility. Tests skip when not installed.
import protobuf from 'protobufjs';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const GOCODE = '/usr/share/gocode/src';
const LIB = 'github.com/mesos/mesos-go/api/v1/lib';
const FILES = ['scheduler/scheduler.proto', 'executor/executor.proto', 'master/master.proto', 'agent/agent.proto'];

export const upstreamAvailable = existsSync(join(GOCODE, LIB, 'mesos.proto'));

let root: protobuf.Root | undefined;

/** The upstream type for one of our message names (`mesos.v1.scheduler.Event` -> `mesos.scheduler.Event`). */
export function upstreamType(name: string): protobuf.Type {
  if (!root) {
    const protobufjsDir = dirname(createRequire(import.meta.url).resolve('protobufjs'));
    root = new protobuf.Root();
    root.resolvePath = (_origin, target) =>
      target.startsWith('/') ? target : target.startsWith('google/') ? join(protobufjsDir, target) : join(GOCODE, target);
    root.loadSync(FILES.map((f) => `${LIB}/${f}`).filter((f) => existsSync(join(GOCODE, f))), { keepCase: true });
    root.resolveAll();
  }
  return root.lookupType(name.replace(/^mesos\.v1\./, 'mesos.'));
}

/**
 * The part of `message` (our TypeScript shape) that the upstream schema knows: mesos-go's copy predates some
 * fields (offer_constraints, offer_filters, …), which upstream would treat as unknown and drop.
 */
export function restrictToUpstream(type: protobuf.Type, message: unknown): unknown {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(message as Record<string, unknown>)) {
    const field = type.fields[key];
    if (!field) continue;
    const nested = field.resolvedType;
    if (!(nested instanceof protobuf.Type)) out[key] = value;
    else if (field.repeated) out[key] = (value as unknown[]).map((item) => restrictToUpstream(nested, item));
    else if (field.map) {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, restrictToUpstream(nested, v)]));
    } else out[key] = restrictToUpstream(nested, value);
  }
  return out;
}
