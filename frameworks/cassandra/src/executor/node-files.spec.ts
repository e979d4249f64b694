import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULTS } from '../domain/config.js';
import { nodeLaunch } from '../domain/node-launch.js';
import { prepareNode } from './node-files.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('prepareNode', () => {
  const launch = nodeLaunch({ config: DEFAULTS, node: { name: 'node-0' }, address: '127.0.0.2', ports: { storage: 1, native: 2, jmx: 3 }, seeds: ['127.0.0.2:1'], volumeDir: '/v' });

  it('writes the conf directory and the volume directories', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'cassandra-node-files-'));
    dirs.push(root);
    const dist = path.join(root, 'apache-cassandra-5.0.6');
    mkdirSync(path.join(dist, 'bin'), { recursive: true });
    mkdirSync(path.join(dist, 'conf'));
    writeFileSync(path.join(dist, 'bin', 'cassandra'), '#!/bin/sh\n');
    writeFileSync(path.join(dist, 'conf', 'logback.xml'), '<configuration/>');
    const spec = prepareNode(launch, { distDir: dist, confDir: path.join(root, 'conf'), volumeDir: path.join(root, 'volume'), logDir: path.join(root, 'logs') });
    expect(readFileSync(path.join(root, 'conf', 'cassandra.yaml'), 'utf8')).toBe(launch.cassandraYaml);
    expect(existsSync(path.join(root, 'conf', 'logback.xml'))).toBe(true);
    expect(['data', 'commitlog', 'saved_caches'].every((d) => existsSync(path.join(root, 'volume', d)))).toBe(true);
    expect(spec).toMatchObject({ command: path.join(dist, 'bin', 'cassandra'), args: ['-f'], env: { CASSANDRA_CONF: path.join(root, 'conf'), MAX_HEAP_SIZE: '512M' } });
  });

  it('names what is wrong with a directory that is not a distribution', () => {
    expect(() => prepareNode(launch, { distDir: '/nonexistent', confDir: '/tmp/x', volumeDir: '/tmp/y', logDir: '/tmp/z' })).toThrow(/not a Cassandra distribution/);
  });
});
