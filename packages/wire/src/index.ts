// @mesos-ts/wire: the bytes of the Mesos v1 HTTP APIs. RecordIO framing, the protobuf and JSON codecs,
// content negotiation, Mesos duration strings and a streaming HTTP client.
export { WireError, isWireError, type WireErrorCode, type WireErrorOptions } from './errors.js';
export { DEFAULT_MAX_RECORD_BYTES, RecordIODecoder, encodeRecord, type RecordIODecoderOptions } from './recordio.js';
export { encodeProtobuf, decodeProtobuf } from './protobuf-codec.js';
export { encodeJson, decodeJson } from './json-codec.js';
export { APPLICATION_JSON, APPLICATION_PROTOBUF, encode, decode, type ContentType } from './codec.js';
export { acceptsMediaType, requestContentType, responseContentType, type Negotiated } from './content-type.js';
export { formatDuration, parseDuration, type DurationUnit } from './duration.js';
export {
  post,
  subscribe,
  type CallRequest,
  type CallResponse,
  type EventStream,
  type Redirect,
} from './http-client.js';
