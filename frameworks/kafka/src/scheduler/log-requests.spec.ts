import { describe, expect, it } from 'vitest';
import { isKafkaError } from '../domain/errors.js';
import { LogRequests } from './log-requests.js';

const json = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));

describe('LogRequests', () => {
  it('matches replies to requests by id', async () => {
    const logs = new LogRequests();
    let sent: { id: string; name: string; lines: number } | undefined;
    const answer = logs.request('server.log', 5, 1_000, async (data) => void (sent = JSON.parse(new TextDecoder().decode(data))));
    await Promise.resolve();
    expect(sent).toMatchObject({ type: 'log', name: 'server.log', lines: 5 });
    expect(logs.onMessage(json({ type: 'log', id: 'other', content: 'x' }))).toBe(true);
    expect(logs.onMessage(json({ type: 'metrics' }))).toBe(false);
    expect(logs.onMessage(new TextEncoder().encode('not json'))).toBe(false);
    logs.onMessage(json({ type: 'log', id: sent!.id, content: 'tail\n' }));
    expect(await answer).toBe('tail\n');
  });

  it.each([
    ['an executor error', (logs: LogRequests, id: string) => logs.onMessage(json({ type: 'log', id, error: 'no log file x' })), 'no log file x', 'UNAVAILABLE'],
    ['a timeout', () => undefined, 'did not answer the log request for stdout within 30 ms', 'TIMEOUT'],
  ] as const)('rejects on %s', async (_, act, message, code) => {
    const logs = new LogRequests();
    let id = '';
    const answer = logs.request('stdout', 1, 30, async (data) => void (id = (JSON.parse(new TextDecoder().decode(data)) as { id: string }).id));
    await Promise.resolve();
    act(logs, id);
    await expect(answer).rejects.toSatisfy((e) => isKafkaError(e, code) && (e as Error).message.includes(message));
  });
});
