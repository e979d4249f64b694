// `--constraints attr=cond[,attr=cond...]` (kafka-mesos): parsing, and checking a candidate node (an offer's
// hostname + attributes) against the nodes the member's peers are placed on.
import type { v1 } from '@mesos-ts/proto';
import { formatAttributes } from '@mesos-ts/resources';
import { KitError } from '../errors.js';
import { conditionMatches, formatCondition, parseCondition, type Condition } from './condition.js';

export interface Constraint {
  /** `hostname` or an agent attribute name. */
  attribute: string;
  condition: Condition;
}

/** Attribute values of a node as text, `hostname` included: `{hostname: 'h1', rack: 'r1', level: '10'}`. */
export type NodeAttributes = Readonly<Record<string, string>>;

/**
 * Parses `hostname=like:master,rack=like:1.*`. A comma inside a regex is written `\,`. An attribute may
 * carry several conditions (`rack=unique,rack=like:r.*`); all must hold. Empty text means no constraints.
 */
export function parseConstraints(text: string): Constraint[] {
  if (text.trim() === '') return [];
  return splitUnescaped(text).map((item) => {
    const eq = item.indexOf('=');
    const attribute = eq < 0 ? '' : item.slice(0, eq).trim();
    if (attribute === '') {
      throw new KitError('INVALID_CONSTRAINT', `invalid constraint '${item}': expected attr=condition, e.g. hostname=unique or rack=like:r1`);
    }
    try {
      return { attribute, condition: parseCondition(item.slice(eq + 1).trim()) };
    } catch (e) {
      throw new KitError('INVALID_CONSTRAINT', `invalid constraint '${item}': ${(e as Error).message.replace(/^invalid constraint condition '[^']*': /, '')}`);
    }
  });
}

export function formatConstraints(constraints: readonly Constraint[]): string {
  return constraints.map((c) => `${c.attribute}=${formatCondition(c.condition).replaceAll(',', '\\,')}`).join(',');
}

/** The attributes of the node an offer comes from, as constraint and filter values. */
export function offerAttributes(offer: Pick<v1.Offer, 'hostname' | 'attributes'>): NodeAttributes {
  const out: Record<string, string> = {};
  for (const a of offer.attributes ?? []) out[a.name] = formatAttributes([a]).slice(a.name.length + 1);
  out.hostname = offer.hostname;
  return out;
}

/**
 * Why a member may not go on `node` given where its peers are, or undefined when every constraint holds.
 * The reason reads like kafka-mesos' ("no rack", "hostname doesn't match unique").
 */
export function checkConstraints(constraints: readonly Constraint[], node: NodeAttributes, peers: readonly NodeAttributes[]): string | undefined {
  for (const { attribute, condition } of constraints) {
    const value = node[attribute];
    if (value === undefined) return `no ${attribute}`;
    const peerValues = peers.flatMap((p) => (p[attribute] === undefined ? [] : [p[attribute]]));
    if (!conditionMatches(condition, value, peerValues)) return `${attribute} doesn't match ${formatCondition(condition)}`;
  }
  return undefined;
}

function splitUnescaped(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\' && text[i + 1] === ',') {
      current += ',';
      i++;
    } else if (ch === ',') {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.map((s) => s.trim());
}
