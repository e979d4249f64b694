// Content negotiation exactly as Mesos' v1 endpoints do it (src/master/http.cpp):
// - the request Content-Type must equal `application/json` or `application/x-protobuf` (no parameters, so a
//   `;charset=utf-8` suffix is rejected); missing -> 400, anything else -> 415;
// - the response type comes from Accept: JSON if JSON is acceptable at all, else protobuf if acceptable, else
//   406. A missing Accept header accepts everything, so the answer is JSON.
import { APPLICATION_JSON, APPLICATION_PROTOBUF, type ContentType } from './codec.js';

export type Negotiated =
  | { ok: true; contentType: ContentType }
  | { ok: false; status: 400 | 406 | 415; message: string };

/** Validates a request's Content-Type header value (undefined when the header is absent). */
export function requestContentType(header: string | undefined): Negotiated {
  if (header === undefined) {
    return { ok: false, status: 400, message: `Expecting 'Content-Type' of ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF}` };
  }
  if (header === APPLICATION_JSON || header === APPLICATION_PROTOBUF) return { ok: true, contentType: header };
  return {
    ok: false,
    status: 415,
    message: `Expecting 'Content-Type' of ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF}, got '${header}' (parameters such as ';charset=' are not accepted)`,
  };
}

/** Picks the response content type from an Accept header value (undefined when absent). */
export function responseContentType(accept: string | undefined): Negotiated {
  if (acceptsMediaType(accept, APPLICATION_JSON)) return { ok: true, contentType: APPLICATION_JSON };
  if (acceptsMediaType(accept, APPLICATION_PROTOBUF)) return { ok: true, contentType: APPLICATION_PROTOBUF };
  return {
    ok: false,
    status: 406,
    message: `Expecting 'Accept' to allow ${APPLICATION_JSON} or ${APPLICATION_PROTOBUF}, got '${accept ?? ''}'`,
  };
}

/**
 * Whether an Accept header allows `mediaType` (`type/subtype`). Per RFC 7231 the most specific matching range
 * decides (`type/subtype` over `type/*` over `* / *`), and a q-value of 0 means "not acceptable".
 * A missing or empty header accepts everything.
 */
export function acceptsMediaType(accept: string | undefined, mediaType: string): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  const [type, subtype] = mediaType.toLowerCase().split('/') as [string, string];
  let bestSpecificity = -1;
  let bestQ = 0;
  for (const range of accept.split(',')) {
    const [name = '', ...params] = range.split(';').map((p) => p.trim());
    const [rangeType, rangeSubtype] = name.toLowerCase().split('/');
    let specificity: number;
    if (rangeType === type && rangeSubtype === subtype) specificity = 2;
    else if (rangeType === type && rangeSubtype === '*') specificity = 1;
    else if (rangeType === '*' && rangeSubtype === '*') specificity = 0;
    else continue;
    if (specificity < bestSpecificity) continue;
    bestSpecificity = specificity;
    bestQ = qValue(params);
  }
  return bestSpecificity >= 0 && bestQ > 0;
}

function qValue(params: string[]): number {
  for (const param of params) {
    const [key, value] = param.split('=').map((p) => p.trim());
    if (key?.toLowerCase() === 'q') {
      const q = Number(value);
      return Number.isFinite(q) ? q : 0;
    }
  }
  return 1;
}
