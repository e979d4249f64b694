// One entry point for both content types Mesos speaks on its v1 APIs.
import type { MessageName, MessageTypes } from '@mesos-ts/proto';
import { decodeJson, encodeJson } from './json-codec.js';
import { decodeProtobuf, encodeProtobuf } from './protobuf-codec.js';

export const APPLICATION_JSON = 'application/json';
export const APPLICATION_PROTOBUF = 'application/x-protobuf';

/** The two media types of the Mesos v1 HTTP APIs, spelled exactly as on the wire. */
export type ContentType = typeof APPLICATION_JSON | typeof APPLICATION_PROTOBUF;

const utf8 = new TextEncoder();

/** Encodes a message as the body bytes of the given content type (JSON is UTF-8). */
export function encode<N extends MessageName>(contentType: ContentType, name: N, message: MessageTypes[N]): Uint8Array {
  return contentType === APPLICATION_JSON ? utf8.encode(encodeJson(name, message)) : encodeProtobuf(name, message);
}

/** Decodes body bytes of the given content type; a JSON body may also be passed as a string. */
export function decode<N extends MessageName>(contentType: ContentType, name: N, body: Uint8Array | string): MessageTypes[N] {
  if (contentType === APPLICATION_JSON) return decodeJson(name, body);
  return decodeProtobuf(name, typeof body === 'string' ? utf8.encode(body) : body);
}
