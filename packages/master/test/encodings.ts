// The two v1 content types every HTTP test runs in, as `describe.each` rows.
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from '@mesos-ts/wire';

export const ENCODINGS: [string, ContentType][] = [
  ['JSON', APPLICATION_JSON],
  ['protobuf', APPLICATION_PROTOBUF],
];

/** The content type that is not `ct` (for cross-encoding negotiation rows). */
export function otherEncoding(ct: ContentType): ContentType {
  return ct === APPLICATION_JSON ? APPLICATION_PROTOBUF : APPLICATION_JSON;
}
