import { describe, expect, it } from 'vitest';
import { agentResources, detectedResourcesText } from './resources-detect.js';

const GB = 1024 ** 3;

describe('resource detection', () => {
  it.each([
    { facts: { cores: 8, memBytes: 16 * GB, diskBytes: 100 * GB, gpus: 0 }, text: 'cpus:8;mem:15360;disk:97280;ports:[31000-32000]' },
    { facts: { cores: 1, memBytes: 1 * GB, diskBytes: 8 * GB, gpus: 2 }, text: 'cpus:1;gpus:2;mem:512;disk:4096;ports:[31000-32000]' },
  ])('detects $text', ({ facts, text }) => {
    expect(detectedResourcesText(facts, new Set(), '*')).toBe(text);
  });

  it('keeps what --resources names (including static reservations) and detects the rest', () => {
    const r = agentResources('cpus(web):2;mem:1024', '*', { cores: 8, memBytes: 16 * GB, diskBytes: 100 * GB, gpus: 0 });
    expect(r.scalar('cpus')).toBe(2);
    expect(r.reserved('web').scalar('cpus')).toBe(2);
    expect(r.scalar('mem')).toBe(1024);
    expect(r.scalar('disk')).toBe(97280);
    expect(r.ports()).toEqual([[31000, 32000]]);
  });

  it('gives detected resources the default role', () => {
    const r = agentResources(undefined, 'batch', { cores: 2, memBytes: 4 * GB, diskBytes: 20 * GB, gpus: 0 });
    expect(r.reserved('batch').scalar('cpus')).toBe(2);
  });
});
