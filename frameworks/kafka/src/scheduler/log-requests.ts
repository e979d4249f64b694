// `broker log` over framework messages: the scheduler sends the executor `{type:'log', id, name, lines}`
// and waits for `{type:'log', id, content}` or `{type:'log', id, error}`. Message bodies are JSON.
import { randomUUID } from 'node:crypto';
import { KafkaError } from '../domain/errors.js';

export interface LogRequest {
  type: 'log';
  id: string;
  name: string;
  lines: number;
}

export type LogReply = { type: 'log'; id: string; content: string } | { type: 'log'; id: string; error: string };

/** Cap on a log answer, as kafka-mesos: the tail of the file, at most 100 KB. */
export const MAX_LOG_BYTES = 100 * 1024;

export class LogRequests {
  private readonly pending = new Map<string, { resolve: (text: string) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();

  /** Sends a request with `send` and resolves with the executor's answer, or rejects after `timeoutMs`. */
  async request(name: string, lines: number, timeoutMs: number, send: (data: Uint8Array) => Promise<void>): Promise<string> {
    const request: LogRequest = { type: 'log', id: randomUUID(), name, lines };
    const answer = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(request.id);
        reject(new KafkaError('TIMEOUT', `the executor did not answer the log request for ${name} within ${timeoutMs} ms; is the broker running? try a longer --timeout`));
      }, timeoutMs);
      this.pending.set(request.id, { resolve, reject, timer });
    });
    try {
      await send(new TextEncoder().encode(JSON.stringify(request)));
    } catch (e) {
      this.settle(request.id, undefined, `cannot reach the executor: ${(e as Error).message}`);
    }
    return answer;
  }

  /** Handles a framework message; false when it is not a log reply. */
  onMessage(data: Uint8Array): boolean {
    let reply: Partial<LogReply> & { content?: string; error?: string };
    try {
      reply = JSON.parse(new TextDecoder().decode(data)) as typeof reply;
    } catch {
      return false;
    }
    if (reply.type !== 'log' || typeof reply.id !== 'string') return false;
    this.settle(reply.id, reply.content, reply.error);
    return true;
  }

  close(): void {
    for (const [id] of this.pending) this.settle(id, undefined, 'the scheduler is stopping');
  }

  private settle(id: string, content: string | undefined, error: string | undefined): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    clearTimeout(p.timer);
    if (content !== undefined) p.resolve(content);
    else p.reject(new KafkaError('UNAVAILABLE', error ?? 'empty answer from the executor'));
  }
}
