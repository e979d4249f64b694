import { describe, expect, it } from 'vitest';
import { evaluateOffer, type ClusterView, type NodeNeeds, type OfferView } from './offer-rules.js';

const offer: OfferView = { hostname: 'a1', agentId: 'S1', cpus: 2, memMb: 1024, diskMb: 4096, ports: [31000, 31001, 31002] };
const cluster: ClusterView = { agentsWithNodes: new Set(['S9']), hostsWithNodes: new Set(['a9']), liveNodes: 1, firstNodeStarting: false, desiredNodes: 3 };
const needs: NodeNeeds = { cpus: 1, memMb: 512, diskMb: 1024 };

describe('evaluateOffer: upstream rules in upstream order', () => {
  const cases: Array<[string, Partial<OfferView>, Partial<ClusterView>, Partial<NodeNeeds>, string | undefined]> = [
    ['accepts a fitting offer', {}, {}, {}, undefined],
    ['agent already has a node', { agentId: 'S9' }, {}, {}, 'already has'],
    ['hostname already has a node', { hostname: 'a9' }, {}, {}, 'already has'],
    ['host rule wins over every later rule', { agentId: 'S9', ports: [], cpus: 0 }, { firstNodeStarting: true, liveNodes: 9 }, {}, 'already has'],
    ['first node not answering', {}, { firstNodeStarting: true }, {}, 'not answering'],
    ['first-node rule wins over size', {}, { firstNodeStarting: true, liveNodes: 3 }, {}, 'not answering'],
    ['cluster size reached', {}, { liveNodes: 3 }, {}, 'cluster size reached'],
    ['size wins over ports', { ports: [1] }, { liveNodes: 3 }, {}, 'cluster size reached'],
    ['one port only', { ports: [31000] }, {}, {}, 'needs two'],
    ['fixed ports missing', {}, {}, { fixedPorts: [9200, 9300] }, 'requested port'],
    ['ports win over cpu', { ports: [], cpus: 0.1 }, {}, {}, 'needs two'],
    ['too few cpus', { cpus: 0.5 }, {}, {}, 'not enough cpus'],
    ['too little mem', { memMb: 100 }, {}, {}, 'not enough mem'],
    ['too little disk', { diskMb: 10 }, {}, {}, 'not enough disk'],
  ];
  it.each(cases)('%s', (_name, o, c, n, reason) => {
    const d = evaluateOffer({ ...offer, ...o }, { ...cluster, ...c }, { ...needs, ...n });
    if (reason === undefined) expect(d).toEqual({ accept: true, httpPort: 31000, transportPort: 31001 });
    else expect(d.accept === false && d.reason).toContain(reason);
  });

  it('takes the fixed ports when the offer has them', () => {
    expect(evaluateOffer({ ...offer, ports: [9200, 9300] }, cluster, { ...needs, fixedPorts: [9200, 9300] })).toEqual({ accept: true, httpPort: 9200, transportPort: 9300 });
  });
});
