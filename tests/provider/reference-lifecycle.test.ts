import { randomUUID } from 'node:crypto';
import { API_KEYS_PATH } from '../../src/provider';
import { specApiVersion } from '../../src/provider/spec-version';
import { harness, Harness, KEY_ID_SHAPE, TOKEN_SHAPE, USER_ID_SHAPE } from './reference-helpers';

const JSON_API_UTF8 = 'application/vnd.api+json; charset=utf-8';

describe('reference provider: the five operations', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness({
      user: { id: 'user_pVkpyK2aoVUlax6Zzx1pfrGe4wr', email: 'owner@example.test' },
    });
  });
  afterEach(() => h.provider.close());

  it('listens on 127.0.0.1 on the port the system picked', () => {
    expect(h.provider.url).toBe(`http://127.0.0.1:${h.provider.port}`);
    expect(h.provider.port).toBeGreaterThan(0);
  });

  it('generates a root token shaped like a real one', () => {
    expect(h.provider.rootToken).toMatch(TOKEN_SHAPE);
  });

  it('create answers 201 {data, meta: {}} with the token shown once and every attribute set', async () => {
    const res = await h.client.create({ name: 'App Token' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toBe(JSON_API_UTF8);
    expect(res.body?.meta).toEqual({});
    const key = res.body?.data;
    expect(key?.id).toMatch(KEY_ID_SHAPE);
    expect(key?.type).toBe('api_keys');
    const a = key?.attributes ?? {};
    expect(a.name).toBe('App Token');
    expect(a.token).toMatch(TOKEN_SHAPE);
    expect(a.token_last_slice).toBe((a.token as string).slice(-5));
    expect(a.api_version).toBe('2023-06-01');
    expect(a.read_only).toBe(false);
    expect(a.allowed_ips).toEqual([]);
    expect(a.last_used_at).toBeNull();
    expect(a.user).toEqual({ id: 'user_pVkpyK2aoVUlax6Zzx1pfrGe4wr', email: 'owner@example.test' });
    expect(a.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+00:00$/);
    expect(a.updated_at).toBe(a.created_at);
    expect(Math.abs(Date.parse(a.created_at as string) - Date.now())).toBeLessThan(5_000);
  });

  it("reports the spec's info.version as api_version", async () => {
    expect(specApiVersion()).toBe('2023-06-01');
    const other = await harness({ apiVersion: '2099-01-01' });
    try {
      const res = await other.client.create({ name: 'v' });
      expect(res.body?.data?.attributes?.api_version).toBe('2099-01-01');
    } finally {
      await other.provider.close();
    }
  });

  it('generates a user_ id when no user is given', async () => {
    const other = await harness();
    try {
      const res = await other.client.create({ name: 'u' });
      expect(res.body?.data?.attributes?.user?.id).toMatch(USER_ID_SHAPE);
      expect(res.body?.data?.attributes?.user?.email).toMatch(/^[^@\s]+@[^@\s]+\.[a-z]+$/);
    } finally {
      await other.provider.close();
    }
  });

  it('gives every key its own id and token', async () => {
    const a = await h.client.create({ name: 'a' });
    const b = await h.client.create({ name: 'b' });
    expect(a.body?.data?.id).not.toBe(b.body?.data?.id);
    expect(a.body?.data?.attributes?.token).not.toBe(b.body?.data?.attributes?.token);
  });

  it('list answers 200 with every key in creation order and never a token', async () => {
    const a = await h.client.create({ name: 'first', read_only: true });
    const b = await h.client.create({ name: 'second', allowed_ips: ['10.0.0.0/24'] });
    const res = await h.client.list();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_API_UTF8);
    expect(res.body?.meta).toEqual({});
    const data = res.body?.data ?? [];
    expect(data.map((k) => k.id)).toEqual([a.body?.data?.id, b.body?.data?.id]);
    for (const key of data) {
      expect(key.attributes).not.toHaveProperty('token');
      expect(res.rawBody).not.toContain(a.body?.data?.attributes?.token as string);
    }
    expect(data[0].attributes?.token_last_slice).toBe(a.body?.data?.attributes?.token_last_slice);
    expect(data[0].attributes?.read_only).toBe(true);
    expect(data[1].attributes?.allowed_ips).toEqual(['10.0.0.0/24']);
  });

  it('list of a fresh account is empty', async () => {
    const res = await h.client.list();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [], meta: {} });
  });

  it('rotate (PUT) answers 200 with a new token and slice under the same id; the old token stops working', async () => {
    const created = await h.client.create({ name: 'rotate me' });
    const id = created.body?.data?.id as string;
    const oldToken = created.body?.data?.attributes?.token as string;
    expect((await h.as(oldToken).list()).status).toBe(200);

    const res = await h.client.rotate(id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_API_UTF8);
    expect(res.body?.meta).toEqual({});
    const a = res.body?.data?.attributes ?? {};
    expect(res.body?.data?.id).toBe(id);
    expect(a.token).toMatch(TOKEN_SHAPE);
    expect(a.token).not.toBe(oldToken);
    expect(a.token_last_slice).toBe((a.token as string).slice(-5));
    expect(a.name).toBe('rotate me');

    expect((await h.as(oldToken).list()).status).toBe(401);
    expect((await h.as(a.token as string).list()).status).toBe(200);
  });

  it('rotate applies the attributes it is sent', async () => {
    const created = await h.client.create({ name: 'before' });
    const res = await h.client.rotate(created.body?.data?.id as string, { name: 'after' });
    expect(res.body?.data?.attributes?.name).toBe('after');
  });

  it('update (PATCH) answers 200 with the new settings, no token, and the token unchanged', async () => {
    const created = await h.client.create({ name: 'old name' });
    const id = created.body?.data?.id as string;
    const token = created.body?.data?.attributes?.token as string;

    const res = await h.client.update(id, {
      name: 'new name',
      read_only: true,
      allowed_ips: ['127.0.0.0/8', '2001:db8::/32'],
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_API_UTF8);
    const a = res.body?.data?.attributes ?? {};
    expect(res.body?.data?.id).toBe(id);
    expect(a).not.toHaveProperty('token');
    expect(a.token_last_slice).toBe(token.slice(-5));
    expect(a.name).toBe('new name');
    expect(a.read_only).toBe(true);
    expect(a.allowed_ips).toEqual(['127.0.0.0/8', '2001:db8::/32']);
    expect(Date.parse(a.updated_at as string)).toBeGreaterThanOrEqual(
      Date.parse(a.created_at as string),
    );
    // Read-only now, but still the same valid token.
    expect((await h.as(token).list()).status).toBe(200);
  });

  it('update leaves attributes it is not sent as they were', async () => {
    const created = await h.client.create({
      name: 'keep',
      read_only: true,
      allowed_ips: ['10.1.2.3'],
    });
    const res = await h.client.update(created.body?.data?.id as string, { name: 'renamed' });
    expect(res.body?.data?.attributes?.read_only).toBe(true);
    expect(res.body?.data?.attributes?.allowed_ips).toEqual(['10.1.2.3/32']);
  });

  it('delete answers 200 {"meta":{}}; the key leaves the list and its token stops working', async () => {
    const created = await h.client.create({ name: 'delete me' });
    const id = created.body?.data?.id as string;
    const token = created.body?.data?.attributes?.token as string;

    const res = await h.client.delete(id);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(JSON_API_UTF8);
    expect(res.rawBody).toBe('{"meta":{}}');
    expect(h.provider.keys()).toEqual([]);
    expect((await h.client.list()).body?.data).toEqual([]);
    expect((await h.as(token).list()).status).toBe(401);
  });

  it.each([
    ['rotate', (h: Harness, id: string) => h.client.rotate(id)],
    ['update', (h: Harness, id: string) => h.client.update(id, { name: 'x' })],
    ['delete', (h: Harness, id: string) => h.client.delete(id)],
  ])('%s of an unknown id answers 404 with the recorded body', async (_op, call) => {
    const res = await call(h, 'tok_doesNotExist0');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe(JSON_API_UTF8);
    expect(JSON.parse(res.rawBody)).toEqual({
      errors: [
        {
          code: 'not_found',
          status: '404',
          title: 'Error',
          detail: 'Specified Record Not Found',
          meta: {},
        },
      ],
    });
  });

  it('a deleted key is 404 for a second delete', async () => {
    const created = await h.client.create({ name: 'twice' });
    await h.client.delete(created.body?.data?.id as string);
    expect((await h.client.delete(created.body?.data?.id as string)).status).toBe(404);
  });

  it('stores and echoes non-ASCII names byte for byte (UTF-8)', async () => {
    const name = 'Chave de produção 🔑 — 鍵 ﬁ e\u0301';
    const created = await h.client.create({ name });
    expect(created.status).toBe(201);
    expect(created.body?.data?.attributes?.name).toBe(name);
    const listed = await h.client.list();
    expect(
      Buffer.from(listed.rawBody, 'utf8').includes(
        Buffer.from(JSON.stringify(name).slice(1, -1), 'utf8'),
      ),
    ).toBe(true);
    expect(listed.body?.data?.[0].attributes?.name).toBe(name);
    expect(h.provider.keys()[0].name).toBe(name);
  });

  it('keys() reports the stored keys for cleanup checks', async () => {
    const created = await h.client.create({ name: 'tracked', read_only: true });
    expect(h.provider.keys()).toEqual([
      { id: created.body?.data?.id, name: 'tracked', readOnly: true },
    ]);
  });

  it('answers unknown routes 404 and wrong methods 405, both as JSON:API errors', async () => {
    const nowhere = await h.client.send({ operationId: 'x', method: 'GET', path: '/auth/nothing' });
    expect(nowhere.status).toBe(404);
    expect(nowhere.body?.errors?.[0]?.code).toBe('not_found');
    const wrong = await h.client.send({ operationId: 'x', method: 'DELETE', path: API_KEYS_PATH });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('GET, POST');
    expect(wrong.headers['content-type']).toBe(JSON_API_UTF8);
  });

  it('accepts a trailing slash and a query string on the list', async () => {
    await h.client.create({ name: 'q' });
    const res = await h.client.send({
      operationId: 'get-api-keys',
      method: 'GET',
      path: `${API_KEYS_PATH}/?page=1`,
    });
    expect(res.status).toBe(200);
    expect((res.body as { data: unknown[] }).data).toHaveLength(1);
  });

  it('close() ends the server: its address no longer serves the keys', async () => {
    const { url, rootToken } = h.provider;
    const marker = `close-marker-${randomUUID()}`;
    await h.client.create({ name: marker });
    const listed = () =>
      fetch(url + API_KEYS_PATH, { headers: { Authorization: `Bearer ${rootToken}` } }).then(
        (r) => r.text(),
        () => 'refused',
      );
    expect(await listed()).toContain(marker);
    await h.provider.close();
    // Another test's server may be given the freed port; only this provider knows the marker.
    expect(await listed()).not.toContain(marker);
  });
});
