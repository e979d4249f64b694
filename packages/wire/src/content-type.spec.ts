import { describe, expect, it } from 'vitest';
import { acceptsMediaType, requestContentType, responseContentType } from './content-type.js';

describe('requestContentType (compared exactly, as Mesos does)', () => {
  it.each([
    ['application/json', { ok: true, contentType: 'application/json' }],
    ['application/x-protobuf', { ok: true, contentType: 'application/x-protobuf' }],
    [undefined, { ok: false, status: 400 }],
    ['application/json; charset=utf-8', { ok: false, status: 415 }],
    ['Application/JSON', { ok: false, status: 415 }],
    ['text/plain', { ok: false, status: 415 }],
    ['', { ok: false, status: 415 }],
  ] as const)('%j -> %j', (header, expected) => {
    expect(requestContentType(header)).toMatchObject(expected);
  });

  it('says what was expected', () => {
    const result = requestContentType('application/json;charset=utf-8');
    expect(!result.ok && result.message).toMatch(/application\/json or application\/x-protobuf, got 'application\/json;charset=utf-8'/);
  });
});

describe('responseContentType (JSON whenever JSON is acceptable, else protobuf, else 406)', () => {
  it.each([
    [undefined, 'application/json'],
    ['', 'application/json'],
    ['application/json', 'application/json'],
    ['application/x-protobuf', 'application/x-protobuf'],
    ['*/*', 'application/json'],
    ['application/*', 'application/json'],
    ['application/x-protobuf, application/json;q=0.1', 'application/json'],
    ['application/json;q=0, application/x-protobuf', 'application/x-protobuf'],
    ['*/*, application/json;q=0', 'application/x-protobuf'],
    ['application/*;q=0, application/json', 'application/json'],
    ['text/html, application/x-protobuf;q=0.5', 'application/x-protobuf'],
    ['APPLICATION/X-PROTOBUF', 'application/x-protobuf'],
  ] as const)('Accept %j -> %s', (accept, contentType) => {
    expect(responseContentType(accept)).toEqual({ ok: true, contentType });
  });

  it.each(['text/html', 'application/recordio', 'application/*;q=0', '*/*;q=0', 'application/json;q=0, application/x-protobuf;q=0'])(
    'Accept %j -> 406',
    (accept) => {
      expect(responseContentType(accept)).toMatchObject({ ok: false, status: 406 });
    },
  );
});

describe('acceptsMediaType', () => {
  it.each([
    ['text/*;q=0.5, */*;q=0', 'text/plain', true],
    ['text/*;q=0.5, */*;q=0', 'application/json', false],
    ['application/json;q=bogus', 'application/json', false],
    ['application/json ; q=0.001', 'application/json', true],
  ] as const)('%j accepts %s: %s', (accept, mediaType, expected) => {
    expect(acceptsMediaType(accept, mediaType)).toBe(expected);
  });
});
