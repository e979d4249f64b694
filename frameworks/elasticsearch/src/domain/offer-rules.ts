// Whether an offer can host a new search node, with mesos/elasticsearch's rules checked in upstream's order
// (OfferStrategy): host already has a node, first node not answering, cluster size reached, fewer than two
// ports (or the fixed --elasticsearchPorts missing), too little cpu/mem/disk. The first rule that refuses names
// the reason the scheduler logs and declines with. Pure: the caller says what the offer holds and what runs.

export interface OfferView {
  hostname: string;
  agentId: string;
  cpus: number;
  memMb: number;
  diskMb: number;
  /** Every port the offer carries, expanded. */
  ports: readonly number[];
}

export interface NodeNeeds {
  cpus: number;
  memMb: number;
  diskMb: number;
  /** `--elasticsearchPorts HTTP,TRANSPORT`; undefined = any two offered ports. */
  fixedPorts?: readonly [number, number];
}

export interface ClusterView {
  /** Agents (ids) that already hold a node of this cluster, running or starting. */
  agentsWithNodes: ReadonlySet<string>;
  /** Hostnames that already hold a node (upstream compares hostnames). */
  hostsWithNodes: ReadonlySet<string>;
  /** Nodes launched and not yet terminal. */
  liveNodes: number;
  /** True when a node was launched but the first node has not answered a health call yet. */
  firstNodeStarting: boolean;
  desiredNodes: number;
}

export type OfferDecision = { accept: true; httpPort: number; transportPort: number } | { accept: false; reason: string };

type Rule = (o: OfferView, c: ClusterView, n: NodeNeeds) => string | undefined;

const RULES: ReadonlyArray<Rule> = [
  (o, c) => (c.agentsWithNodes.has(o.agentId) || c.hostsWithNodes.has(o.hostname) ? `host ${o.hostname} already has an Elasticsearch node` : undefined),
  (_o, c) => (c.firstNodeStarting ? 'the first Elasticsearch node is not answering yet' : undefined),
  (_o, c) => (c.liveNodes >= c.desiredNodes ? `cluster size reached (${c.liveNodes} of ${c.desiredNodes})` : undefined),
  (o, _c, n) => {
    if (n.fixedPorts) {
      const missing = n.fixedPorts.filter((p) => !o.ports.includes(p));
      return missing.length > 0 ? `offer lacks the requested port(s) ${missing.join(',')}` : undefined;
    }
    return o.ports.length < 2 ? `offer has ${o.ports.length} port(s); a node needs two (HTTP and transport)` : undefined;
  },
  (o, _c, n) => (o.cpus < n.cpus ? `not enough cpus (${o.cpus} < ${n.cpus})` : undefined),
  (o, _c, n) => (o.memMb < n.memMb ? `not enough mem (${o.memMb} < ${n.memMb} MB)` : undefined),
  (o, _c, n) => (o.diskMb < n.diskMb ? `not enough disk (${o.diskMb} < ${n.diskMb} MB)` : undefined),
];

export function evaluateOffer(offer: OfferView, cluster: ClusterView, needs: NodeNeeds): OfferDecision {
  for (const rule of RULES) {
    const reason = rule(offer, cluster, needs);
    if (reason !== undefined) return { accept: false, reason };
  }
  const [httpPort, transportPort] = needs.fixedPorts ?? [offer.ports[0]!, offer.ports[1]!];
  return { accept: true, httpPort, transportPort };
}
