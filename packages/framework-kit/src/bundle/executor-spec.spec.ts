// The executor's CommandInfo from its spec: a shell command with the fetcher's URIs, environment only when given.
import { describe, expect, it } from 'vitest';
import { executorCommandInfo } from './executor-spec.js';

describe('executorCommandInfo', () => {
  const uris = [{ value: 'http://127.0.0.1:7000/executor/x.tgz', extract: true }];
  it('runs the command by a shell after fetching the URIs', () => {
    expect(executorCommandInfo({ command: 'node x/bin.js executor', uris })).toEqual({ value: 'node x/bin.js executor', shell: true, uris });
  });
  it('passes the environment as VALUE variables', () => {
    expect(executorCommandInfo({ command: 'c', uris: [], environment: { A: '1', B: 'two' } }).environment).toEqual({
      variables: [{ name: 'A', type: 'VALUE', value: '1' }, { name: 'B', type: 'VALUE', value: 'two' }],
    });
  });
});
