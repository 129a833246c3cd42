import {
  ApiKeysClient,
  ClientNetworkError,
  ClientTimeoutError,
  Exchange,
  JSON_API,
} from '../../src/client';
import { httpDouble, HttpDouble } from '../support/http-double';
import { REFUSED_URL } from '../support/net';

/**
 * The typed client against a tiny loopback server that records what it receives: the headers and
 * bodies every operation sends, and the errors a caller sees when the server misbehaves.
 */
let double: HttpDouble;
let reply: { status: number; type?: string; body: string; delayMs?: number };

beforeAll(async () => {
  double = await httpDouble((_req, res) => {
    setTimeout(() => {
      if (res.destroyed) return;
      res.writeHead(reply.status, reply.type ? { 'Content-Type': reply.type } : {});
      res.end(reply.body);
    }, reply.delayMs ?? 0);
  });
});

afterAll(() => double.close());

beforeEach(() => {
  double.received.length = 0;
  reply = { status: 200, type: `${JSON_API}; charset=utf-8`, body: '{"data":[],"meta":{}}' };
});

const client = (extra: Partial<ConstructorParameters<typeof ApiKeysClient>[0]> = {}) =>
  new ApiKeysClient({ baseUrl: `${double.url}/`, token: 'fake-client-token', ...extra });

describe('ApiKeysClient requests', () => {
  it('creates with a JSON:API document, content type and Bearer token', async () => {
    await client().create({ name: 'CI deploy key', read_only: true });

    const [req] = double.received;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/auth/api_keys');
    expect(req.headers['content-type']).toBe(JSON_API);
    expect(req.headers.accept).toBe(JSON_API);
    expect(req.headers.authorization).toBe('Bearer fake-client-token');
    expect(JSON.parse(req.body)).toEqual({
      data: { type: 'api_keys', attributes: { name: 'CI deploy key', read_only: true } },
    });
  });

  it('rotates with PUT and updates with PATCH, each naming the key in path and body', async () => {
    await client().rotate('tok_abc123');
    await client().update('tok_abc123', { name: 'renamed' });

    expect(double.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PUT /auth/api_keys/tok_abc123',
      'PATCH /auth/api_keys/tok_abc123',
    ]);
    expect(JSON.parse(double.received[0].body)).toEqual({
      data: { id: 'tok_abc123', type: 'api_keys', attributes: {} },
    });
    expect(JSON.parse(double.received[1].body).data.attributes).toEqual({ name: 'renamed' });
  });

  it('lists and deletes without a body or Content-Type', async () => {
    await client().list();
    await client().delete('tok_abc123');

    for (const req of double.received) {
      expect(req.body).toBe('');
      expect(req.headers['content-type']).toBeUndefined();
    }
    expect(double.received[1].method).toBe('DELETE');
  });

  it('escapes an id so it cannot change the path', async () => {
    await client().delete('../users/1');

    expect(double.received[0].url).toBe('/auth/api_keys/..%2Fusers%2F1');
  });

  it('sends the raw token with the raw scheme and no Authorization without a token', async () => {
    await client({ authScheme: 'raw' }).list();
    await client().withToken(undefined).list();

    expect(double.received[0].headers.authorization).toBe('fake-client-token');
    expect(double.received[1].headers.authorization).toBeUndefined();
  });
});

describe('ApiKeysClient responses', () => {
  it('returns error statuses with their JSON:API errors instead of throwing', async () => {
    reply = {
      status: 401,
      type: JSON_API,
      body: '{"errors":[{"code":"INVALID_TOKEN","title":"Invalid Token"}]}',
    };

    const res = await client().list();

    expect(res.status).toBe(401);
    expect(res.body?.errors?.[0]?.code).toBe('INVALID_TOKEN');
  });

  it('keeps a body that is not JSON as raw text', async () => {
    reply = { status: 500, type: 'text/plain', body: 'upstream exploded' };

    const res = await client().list();

    expect(res.body).toBeUndefined();
    expect(res.rawBody).toBe('upstream exploded');
  });

  it('reports every exchange, error statuses included', async () => {
    const seen: Exchange[] = [];
    reply = { status: 404, type: JSON_API, body: '{"errors":[]}' };

    await client({ onExchange: (e) => seen.push(e) }).delete('tok_missing1');

    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      operationId: 'delete-api-key',
      method: 'DELETE',
      status: 404,
      path: '/auth/api_keys/tok_missing1',
    });
  });

  it('turns a server that never answers into a ClientTimeoutError', async () => {
    reply = { ...reply, delayMs: 2_000 };

    await expect(client({ timeoutMs: 100 }).list()).rejects.toBeInstanceOf(ClientTimeoutError);
  });

  it('turns an unreachable server into a ClientNetworkError', async () => {
    await expect(
      new ApiKeysClient({ baseUrl: REFUSED_URL, token: 'fake' }).list(),
    ).rejects.toBeInstanceOf(ClientNetworkError);
  });
});
