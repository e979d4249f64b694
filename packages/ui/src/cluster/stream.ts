// The operator SUBSCRIBE stream from the browser: POST /api/v1, read RecordIO (`<length>\n<json>`) records
// as they arrive, hand each event on. Reconnects with a back-off when the stream ends.

export type StreamStatus = { kind: 'connecting' } | { kind: 'live' } | { kind: 'not-leader' } | { kind: 'error'; message: string };

/** Splits a RecordIO byte stream into records; keeps the partial tail between chunks. */
export class RecordIoDecoder {
  private buf = new Uint8Array(0);
  private readonly text = new TextDecoder();

  push(chunk: Uint8Array): string[] {
    const merged = new Uint8Array(this.buf.length + chunk.length);
    merged.set(this.buf);
    merged.set(chunk, this.buf.length);
    const out: string[] = [];
    let at = 0;
    for (;;) {
      const nl = merged.indexOf(10, at);
      if (nl === -1) break;
      const len = Number(this.text.decode(merged.subarray(at, nl)));
      if (merged.length < nl + 1 + len) break;
      out.push(this.text.decode(merged.subarray(nl + 1, nl + 1 + len)));
      at = nl + 1 + len;
    }
    this.buf = merged.slice(at);
    return out;
  }
}

export function subscribe(onEvent: (e: { type: string }) => void, onStatus: (s: StreamStatus) => void): () => void {
  let stopped = false;
  let controller: AbortController | undefined;
  const run = async (): Promise<void> => {
    let delay = 500;
    while (!stopped) {
      onStatus({ kind: 'connecting' });
      controller = new AbortController();
      try {
        const res = await fetch('/api/v1', {
          method: 'POST', signal: controller.signal, redirect: 'manual',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ type: 'SUBSCRIBE' }),
        });
        // A non-leading master answers 307 to the leader (opaque here) or 503 while no one leads.
        if (res.type === 'opaqueredirect' || res.status === 307) { onStatus({ kind: 'not-leader' }); return; }
        if (!res.ok || !res.body) throw new Error(`SUBSCRIBE answered ${res.status}`);
        onStatus({ kind: 'live' });
        delay = 500;
        const decoder = new RecordIoDecoder();
        const reader = res.body.getReader();
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          for (const rec of decoder.push(value)) onEvent(JSON.parse(rec));
        }
      } catch (e) {
        if (stopped) return;
        onStatus({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 8000);
    }
  };
  void run();
  return () => { stopped = true; controller?.abort(); };
}

/** One operator call (GET_MASTER, GET_ROLES, GET_MAINTENANCE_STATUS …) answered as JSON. */
export async function operatorCall<T>(type: string): Promise<T> {
  const res = await fetch('/api/v1', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify({ type }) });
  if (!res.ok) throw new Error(`${type} answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
