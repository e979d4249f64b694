import { describe, expect, it } from 'vitest';
import { BasicAuthenticator, basicAuthorization, parseBasic } from './basic-auth.js';
import { parseCredential, parseCredentials } from './credentials.js';

describe('parseCredentials', () => {
  it('reads upstream JSON and text files', () => {
    expect(parseCredentials('{"credentials":[{"principal":"a","secret":"s1"},{"principal":"b","secret":"s 2"}]}')).toEqual([
      { principal: 'a', secret: 's1' },
      { principal: 'b', secret: 's 2' },
    ]);
    expect(parseCredentials('a s1\n\n# comment\nb  s2\n')).toEqual([
      { principal: 'a', secret: 's1' },
      { principal: 'b', secret: 's2' },
    ]);
    expect(parseCredential('{"principal":"agent","secret":"x"}')).toEqual({ principal: 'agent', secret: 'x' });
  });

  it.each([
    ['', 'empty'],
    ['{"credentials":[{"principal":"a"}]}', 'credential #1'],
    ['only-a-principal', "line 1 must be 'principal secret'"],
    ['a x\na y', 'listed twice'],
    ['{bad', 'not valid JSON'],
  ])('refuses %j', (text, message) => {
    expect(() => parseCredentials(text)).toThrow(message);
  });

  it('never quotes a secret in its errors', () => {
    expect(() => parseCredentials('a topsecret\na topsecret')).toThrow(/^(?!.*topsecret)/);
  });
});

describe('BasicAuthenticator', () => {
  const auth = new BasicAuthenticator([{ principal: 'ops', secret: 'pa:ss' }]);
  it.each([
    [basicAuthorization('ops', 'pa:ss'), true],
    [basicAuthorization('ops', 'wrong'), false],
    [basicAuthorization('nobody', 'pa:ss'), false],
    ['Bearer abc', false],
    ['Basic !!!', false],
    [undefined, false],
  ])('%s → %s', (header, ok) => {
    expect(auth.authenticate(header).ok).toBe(ok);
  });

  it('round-trips a header', () => {
    expect(parseBasic(basicAuthorization('p', 's:t'))).toEqual({ principal: 'p', secret: 's:t' });
  });
});
