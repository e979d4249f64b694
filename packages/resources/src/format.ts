// Text form of resources, close to Mesos' log/UI rendering:
//   cpus(*):4; mem(*):13000; ports(*):[31000-32000]          unreserved
//   cpus(hdfs):2                                              one STATIC reservation (as --resources writes it)
//   cpus(reservations: [(STATIC,a),(DYNAMIC,a/b,p)]):2        any other stack: (type,role[,principal][,{k:v,…}])
//   disk(reservations: [(DYNAMIC,a,p)])[MOUNT:/mnt/1,vol1:/data]:100   disk info: [source,persistence:path(:RO)]
//   …(allocated: a) for allocated resources, {REV} for revocable, <SHARED> for shared.
// Entries print in canonical (name-sorted) order, separated by '; '. Only the first two forms
// parse back with `Resources.parse`; the JSON array form round-trips everything.
import type { v1 } from '@mesos-ts/proto';
import type { Entry } from './entry.js';
import { formatMilli } from './fixed-point.js';
import { formatRanges } from './ranges.js';
import { formatItems } from './sets.js';

export function formatEntry(e: Entry): string {
  const m = e.meta;
  let s = m.name + formatReservations(m.reservations);
  if (m.allocationRole !== undefined) s += `(allocated: ${m.allocationRole})`;
  if (m.disk !== undefined) s += formatDisk(m.disk);
  if (m.revocable) s += '{REV}';
  if (m.shared) s += '<SHARED>';
  s += ':';
  switch (m.type) {
    case 'SCALAR':
      return s + formatMilli(e.milli);
    case 'RANGES':
      return s + formatRanges(e.ranges);
    case 'SET':
      return s + formatItems(e.items);
  }
}

export function formatEntries(entries: readonly Entry[]): string {
  const parts: string[] = [];
  for (const e of entries) {
    const text = formatEntry(e);
    for (let i = 0; i < e.count; i++) parts.push(text);
  }
  return parts.join('; ');
}

function formatReservations(stack: readonly v1.Resource.ReservationInfo[]): string {
  if (stack.length === 0) return '(*)';
  const only = stack[0]!;
  if (stack.length === 1 && only.type === 'STATIC' && only.principal === undefined && only.labels === undefined) {
    return `(${only.role})`;
  }
  const items = stack.map((r) => {
    const fields = [r.type ?? 'UNKNOWN', r.role ?? '*'];
    if (r.principal !== undefined) fields.push(r.principal);
    const labels = r.labels?.labels ?? [];
    if (labels.length > 0) {
      fields.push(`{${labels.map((l) => (l.value === undefined ? l.key : `${l.key}: ${l.value}`)).join(', ')}}`);
    }
    return `(${fields.join(',')})`;
  });
  return `(reservations: [${items.join(',')}])`;
}

function formatDisk(d: v1.Resource.DiskInfo): string {
  const parts: string[] = [];
  if (d.source !== undefined) {
    const root = d.source.mount?.root ?? d.source.path?.root;
    parts.push(root === undefined ? d.source.type : `${d.source.type}:${root}`);
  }
  if (d.persistence !== undefined) {
    let p = d.persistence.id;
    if (d.volume !== undefined) p += `:${d.volume.container_path}${d.volume.mode === 'RO' ? ':RO' : ''}`;
    parts.push(p);
  }
  return `[${parts.join(',')}]`;
}
