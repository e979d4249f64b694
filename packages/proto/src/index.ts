// @mesos-ts/proto: the mesos.v1.* protocol schema and its TypeScript types.
//
// Types mirror Mesos' JSON mapping so one shape serves both content types:
// snake_case field names, enums as value names, int64/uint64 as bigint, bytes as Uint8Array.
// `root` is the protobufjs reflection of our .proto files (loaded with keepCase) for the codecs.
import protobuf from 'protobufjs';
import Long from 'long';
import { descriptor } from './generated/descriptor.js';
import type { MessageName } from './generated/messages.js';

export type * as v1 from './generated/v1.js';
export type * from './generated/v1.js';
export type { MessageTypes, MessageName } from './generated/messages.js';

// protobufjs needs a Long implementation to carry 64-bit integers without losing precision.
protobuf.util.Long = Long;
protobuf.configure();

/** Reflection of every message, enum and service we define (fully qualified names like `mesos.v1.Offer`). */
export const root: protobuf.Root = protobuf.Root.fromJSON(descriptor);

/** The reflected type of a message; throws when the name is not one of ours. */
export function messageType(name: MessageName): protobuf.Type {
  return root.lookupType(name);
}
