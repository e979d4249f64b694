import { afterEach, describe, expect, it } from 'vitest';
import type http from 'node:http';
import { KitError, isKitError } from '../errors.js';
import { expandIds } from '../expr/id-expr.js';
import { apiRequest, resolveApiUrl } from './api-client.js';
import { HttpError, JsonRouter, Reply } from './json-router.js';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise<void>((r) => s.close(() => r()));
});

function router(): JsonRouter {
  const brokers = new Map<number, { id: number; cpus: number }>();
  return new JsonRouter()
    .get('/api/broker/add', ({ query }) => {
      const ids = expandIds(query.get('broker') ?? '');
      for (const id of ids) {
        if (brokers.has(id)) throw new HttpError(400, `broker ${id} already exists`);
        brokers.set(id, { id, cpus: Number(query.get('cpus') ?? '1') });
      }
      return { brokers: ids.map((id) => brokers.get(id)) };
    })
    .get('/api/broker/list', () => ({ brokers: [...brokers.values()] }))
    .post('/v2/apps', ({ body }) => new Reply(201, body))
    .delete('/v2/apps/:id', ({ params }) => new Reply(200, { deleted: params.id }))
    .get('/boom', () => {
      throw new Error('kaput');
    })
    .get('/kit', () => {
      throw new KitError('STORE_UNAVAILABLE', 'zk down');
    });
}

describe('JsonRouter.dispatch', () => {
  it.each([
    ['GET', '/api/broker/add?broker=0..1&cpus=2', '', 200, { brokers: [{ id: 0, cpus: 2 }, { id: 1, cpus: 2 }] }],
    ['GET', '/api/broker/add?broker=x', '', 400, { error: "invalid expression 'x': 'x' is not an id; ids are non-negative integers (0, 1, 2 …), ranges a..b, or *" }],
    ['POST', '/v2/apps', '{"id":"web"}', 201, { id: 'web' }],
    ['POST', '/v2/apps', '{"id":', 400, { error: expect.stringContaining('request body is not valid JSON') }],
    ['DELETE', '/v2/apps/web%201', '', 200, { deleted: 'web 1' }],
    ['GET', '/nope', '', 404, { error: 'no such endpoint: /nope' }],
    ['PUT', '/v2/apps', '', 405, { error: 'PUT is not allowed on /v2/apps; use POST' }],
    ['GET', '/boom', '', 500, { error: 'internal error: kaput' }],
    ['GET', '/kit', '', 500, { error: 'internal error: zk down' }],
  ])('%s %s -> %d', async (method, url, body, status, reply) => {
    const r = await router().dispatch(method, url, body);
    expect(r.status).toBe(status);
    expect(r.body).toEqual(reply);
  });
});

describe('JsonRouter over HTTP with apiRequest', () => {
  it('serves requests and turns error answers into API_ERROR', async () => {
    const { server, url } = await router().listen(0);
    servers.push(server);
    const api = resolveApiUrl(undefined, { KM_API: url }, 'KM_API');
    expect(await apiRequest(api, '/api/broker/add', { broker: '0', cpus: '0.5', unset: undefined })).toEqual({ brokers: [{ id: 0, cpus: 0.5 }] });
    expect(await apiRequest(api, '/api/broker/list')).toEqual({ brokers: [{ id: 0, cpus: 0.5 }] });
    expect(await apiRequest(api, '/v2/apps', {}, { body: { id: 'x' } })).toEqual({ id: 'x' });
    await expect(apiRequest(api, '/api/broker/add', { broker: '0' })).rejects.toSatisfy(
      (e) => isKitError(e, 'API_ERROR') && (e as Error).message === 'broker 0 already exists (HTTP 400 from /api/broker/add)',
    );
  });

  it('explains an unreachable API', async () => {
    await expect(apiRequest('http://127.0.0.1:1', '/api/broker/list')).rejects.toSatisfy(
      (e) => isKitError(e, 'API_ERROR') && (e as Error).message.includes('cannot reach the API at http://127.0.0.1:1'),
    );
  });
});

describe('resolveApiUrl', () => {
  it.each([
    ['http://master:7000/', {}, 'http://master:7000'],
    [undefined, { KM_API: 'master:7000' }, 'http://master:7000'],
  ])('%j %j -> %s', (flag, env, url) => {
    expect(resolveApiUrl(flag, env, 'KM_API')).toBe(url);
  });

  it('says how to set it', () => {
    expect(() => resolveApiUrl(undefined, {}, 'KM_API')).toThrow('no API url: pass --api=http://host:port or set KM_API');
  });
});
