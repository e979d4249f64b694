// Codec throughput: encode+decode of a 100-offer OFFERS event in JSON and protobuf, and RecordIO decoding
// of a large stream fed in 64 KiB chunks. Prints medians of several timed runs; figures are for comparison
// within one run on one machine, not absolute targets.
import { performance } from 'node:perf_hooks';
import { decodeJson, decodeProtobuf, encodeJson, encodeProtobuf, encodeRecord, RecordIODecoder } from '../src/index.js';
import { offersEvent } from '../test/offers-event.js';

const RUNS = 7;
const RUN_MS = 300;
const EVENT = 'mesos.v1.scheduler.Event';

/** Calls `body` repeatedly for about RUN_MS and returns operations per second. */
function rate(body: () => void): number {
  let ops = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < 10; i++) body();
    ops += 10;
    elapsed = performance.now() - start;
  } while (elapsed < RUN_MS);
  return (ops * 1000) / elapsed;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function measure(body: () => void): number {
  rate(body); // warm-up: JIT and per-type plan caches
  return median(Array.from({ length: RUNS }, () => rate(body)));
}

const event = offersEvent(100);
const json = encodeJson(EVENT, event);
const protobuf = encodeProtobuf(EVENT, event);
const jsonBytes = Buffer.byteLength(json);

const rows: [string, number, string][] = [
  ['json encode+decode', measure(() => decodeJson(EVENT, encodeJson(EVENT, event))), 'events/s'],
  ['json encode', measure(() => encodeJson(EVENT, event)), 'events/s'],
  ['json decode', measure(() => decodeJson(EVENT, json)), 'events/s'],
  ['protobuf encode+decode', measure(() => decodeProtobuf(EVENT, encodeProtobuf(EVENT, event))), 'events/s'],
  ['protobuf encode', measure(() => encodeProtobuf(EVENT, event)), 'events/s'],
  ['protobuf decode', measure(() => decodeProtobuf(EVENT, protobuf)), 'events/s'],
];

// RecordIO: ~32 MiB of framed records (OFFERS events and heartbeats), fed in 64 KiB chunks.
const CHUNK = 64 * 1024;
const heartbeat = encodeRecord('{"type":"HEARTBEAT"}');
const offers = encodeRecord(json);
const parts: Uint8Array[] = [];
let total = 0;
while (total < 32 * 1024 * 1024) {
  for (const part of [offers, heartbeat, heartbeat]) {
    parts.push(part);
    total += part.length;
  }
}
const stream = Buffer.concat(parts);
const decodeStream = (): void => {
  const decoder = new RecordIODecoder();
  let records = 0;
  for (let offset = 0; offset < stream.length; offset += CHUNK) records += decoder.push(stream.subarray(offset, offset + CHUNK)).length;
  decoder.finish();
  if (records !== parts.length) throw new Error(`decoded ${records} records, expected ${parts.length}`);
};
rows.push(['recordio decode (64 KiB chunks)', (measure(decodeStream) * stream.length) / (1024 * 1024), 'MiB/s']);

console.log(`OFFERS event with 100 offers: ${jsonBytes} bytes JSON, ${protobuf.length} bytes protobuf; ` +
  `RecordIO stream ${(stream.length / (1024 * 1024)).toFixed(1)} MiB; median of ${RUNS} runs of ${RUN_MS} ms`);
const width = Math.max(...rows.map(([name]) => name.length));
for (const [name, value, unit] of rows) {
  console.log(`${name.padEnd(width)}  ${value.toFixed(value < 100 ? 1 : 0).padStart(10)}  ${unit}`);
}
