// Error paths for invalid messages, built only when something is wrong: the codecs do not track the path
// while walking (that would cost a string per field); instead an InvalidField error collects the segments
// as it unwinds, and the codec entry point turns it into a WireError like `offers[3].hostname: is required`.
import { WireError } from './errors.js';

export class InvalidField extends Error {
  /** Field names and list indexes from the message root down to the bad value. */
  readonly segments: (string | number)[] = [];
}

export function invalid(message: string): InvalidField {
  return new InvalidField(message);
}

/** Prepends a path segment to an InvalidField on its way up; other errors pass through untouched. */
export function within(error: unknown, segment: string | number): unknown {
  if (error instanceof InvalidField) error.segments.unshift(segment);
  return error;
}

/** Converts an InvalidField escaping a codec into an INVALID_MESSAGE WireError naming the path. */
export function toWireError(error: unknown, messageName: string): unknown {
  if (!(error instanceof InvalidField)) return error;
  let path = '';
  for (const segment of error.segments) {
    path += typeof segment === 'number' ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return new WireError('INVALID_MESSAGE', `${path || messageName}: ${error.message}`);
}
