// An EventSink writing RecordIO records to a chunked HTTP response (scheduler, agent and operator streams).
// Headers go out with the first event. A reader that stops reading is cut off once its backlog passes
// MAX_BACKLOG_BYTES rather than growing the master's memory without bound.
// Events sent during one turn of the event loop go out in one write: the first send corks the response and a
// setImmediate (after every I/O callback of this turn) uncorks it. Under load a scheduler receives many UPDATEs
// per turn, and one syscall per event was the master's largest single cost.
import type { ServerResponse } from 'node:http';
import type { MessageName, MessageTypes } from '@mesos-ts/proto';
import { encode, encodeRecord, type ContentType } from '@mesos-ts/wire';
import type { EventSink } from '../core/state.js';

export const MAX_BACKLOG_BYTES = 64 * 1024 * 1024;

export class HttpEventSink<N extends MessageName> implements EventSink<MessageTypes[N]> {
  closed = false;
  private corked = false;
  private readonly flush = (): void => {
    if (!this.corked) return; // close() already flushed
    this.corked = false;
    this.res.uncork();
  };

  constructor(
    private readonly res: ServerResponse,
    private readonly contentType: ContentType,
    private readonly name: N,
    private readonly headers: Record<string, string>,
    onClose: () => void,
  ) {
    // A write racing a client hang-up reports an error on the response; the 'close' below handles the hang-up.
    res.on('error', () => undefined);
    res.on('close', () => {
      this.closed = true;
      onClose();
    });
  }

  send(event: MessageTypes[N]): void {
    if (this.closed) return;
    if (!this.res.headersSent) this.res.writeHead(200, { 'Content-Type': this.contentType, ...this.headers });
    if (!this.corked) {
      this.corked = true;
      this.res.cork();
      setImmediate(this.flush);
    }
    this.res.write(encodeRecord(encode(this.contentType, this.name, event)));
    if (this.res.writableLength > MAX_BACKLOG_BYTES) this.close();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.res.headersSent) this.res.writeHead(200, { 'Content-Type': this.contentType, ...this.headers });
    // Uncork first: on Node 22+ end() on a corked response drops what the cork still holds (e.g. the ERROR
    // event that explains why the stream closes).
    if (this.corked) {
      this.corked = false;
      this.res.uncork();
    }
    this.res.end();
  }
}
