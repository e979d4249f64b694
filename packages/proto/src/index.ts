// @mesos-ts/proto: the mesos.v1.* protocol schema and its TypeScript types.
//
// Types mirror Mesos' JSON mapping so one shape serves both content types:
// snake_case field names, enums as value names, int64/uint64 as bigint, bytes as Uint8Array.
// `root` is the protobufjs reflection of our .proto files (loaded with keepCase) for the codecs.
import protobuf from 'protobufjs';
import Long from 'long';
import { descriptor } from './generated/descriptor.js';
import type { MessageName } from './generated/messages.js';
import { UnknownMessageTypeError } from './unknown-message-error.js';

export type * as v1 from './generated/v1.js';
export type * from './generated/v1.js';
export type * as scheduler from './generated/scheduler.js';
export type * as executor from './generated/executor.js';
export type * as master from './generated/master.js';
export type * as agent from './generated/agent.js';
export type * as quota from './generated/quota.js';
export type * as maintenance from './generated/maintenance.js';
export type * as allocator from './generated/allocator.js';
/** Ours, not upstream's: the master <-> agent protocol (documented in packages/wire/docs/master-agent-protocol.md). */
export type * as internal from './generated/internal.js';
export type { MessageTypes, MessageName } from './generated/messages.js';
export { UnknownMessageTypeError } from './unknown-message-error.js';

// protobufjs needs a Long implementation to carry 64-bit integers without losing precision.
protobuf.util.Long = Long;
protobuf.configure();

/** Reflection of every message, enum and service we define (fully qualified names like `mesos.v1.Offer`). */
export const root: protobuf.Root = protobuf.Root.fromJSON(descriptor);

/** The reflected type of a message; throws UnknownMessageTypeError when the name is not one of ours. */
export function messageType(name: MessageName): protobuf.Type {
  // protobufjs' lookup is fuzzy (it also searches nested namespaces, so 'Offer' or
  // 'mesos.v1.Launch' would find something); only an exact full name counts.
  const found = root.lookup(name);
  if (!(found instanceof protobuf.Type) || found.fullName !== `.${name}`) throw new UnknownMessageTypeError(name);
  return found;
}
