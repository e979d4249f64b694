// kafka-mesos `k=v,k=v` option strings (server.properties overrides, log4j options): a comma inside a value
// is written `\,`. Order is kept; a repeated key keeps its last value.
import { KafkaError } from './errors.js';

export function parseOptionsMap(text: string, what = 'options'): Map<string, string> {
  const out = new Map<string, string>();
  if (text.trim() === '') return out;
  for (const item of splitUnescaped(text)) {
    const eq = item.indexOf('=');
    const key = eq < 0 ? '' : item.slice(0, eq).trim();
    if (key === '') throw new KafkaError('INVALID_PARAMETER', `invalid ${what} '${text}': '${item}' is not key=value; write e.g. log.dirs=/tmp/kafka/$id,num.io.threads=16`);
    out.set(key, item.slice(eq + 1).trim());
  }
  return out;
}

export function formatOptionsMap(map: ReadonlyMap<string, string>): string {
  return [...map].map(([k, v]) => `${k}=${v.replaceAll(',', '\\,')}`).join(',');
}

/** Replaces `$id` with the broker id in every value. */
export function substituteId(map: ReadonlyMap<string, string>, id: number): Map<string, string> {
  return new Map([...map].map(([k, v]) => [k, v.replaceAll('$id', String(id))]));
}

function splitUnescaped(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === ',') {
      current += ',';
      i++;
    } else if (c === ',') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts.filter((p) => p.trim() !== '');
}
